// The installed package, as a user meets it: `dpkg -i` has run (./dev test-package). Its
// version, its desktop entry, the file type of a model (also renamed), the app opening a
// double-clicked model, a second model reaching the running app, and `dpkg -r` leaving nothing.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sandbox, teardown, waitText, textOf, $id, screenshot, APP, CLI, ROOT, OUT } from "../harness.js";

const DEB = process.env.TRIBUTARY_DEB;
const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { encoding: "utf8", ...opts });
const out = (cmd, args, opts) => {
  const r = run(cmd, args, opts);
  assert.equal(r.status, 0, `${cmd} ${args.join(" ")} failed: ${r.stderr}`);
  return r.stdout.trim();
};
const pkg = DEB ? out("dpkg-deb", ["-f", DEB, "Package"]) : "tributary";
const figures = {};
let box;

after(async () => {
  await box?.stop();
  teardown();
  writeFileSync(join(OUT, "package.json"), `${JSON.stringify(figures, null, 2)}\n`);
  console.log(JSON.stringify(figures));
});

/** A model file made by the installed command from one of the bundled examples. */
function model(dir, example, name) {
  const file = join(dir, name);
  out(CLI, ["import", join(ROOT, "assets/examples", `${example}.json`), "-o", file]);
  return file;
}

test("the command says its version and the commit it was built from", () => {
  const version = out(CLI, ["--version"]);
  const debVersion = DEB ? out("dpkg-deb", ["-f", DEB, "Version"]) : "";
  assert.match(version, /^tributary \d+\.\d+\.\d+ \(commit [0-9a-f]{7,}\)$/);
  if (debVersion) assert.ok(version.startsWith(`tributary ${debVersion} `), `${version} is not the package's ${debVersion}`);
  figures.version = version;
  // completions and manual pages came with it
  assert.ok(existsSync("/usr/share/bash-completion/completions/tributary"));
  assert.ok(existsSync("/usr/share/man/man1/tributary.1.gz"));
  assert.ok(existsSync("/usr/share/man/man1/tributary-report.1.gz"));
});

test("the desktop entry is valid and opens model files", () => {
  const entry = "/usr/share/applications/Tributary.desktop";
  const v = run("desktop-file-validate", [entry]);
  assert.equal(v.status, 0, v.stdout + v.stderr);
  assert.equal(v.stdout.trim(), "", `desktop-file-validate: ${v.stdout}`);
  assert.equal(out("xdg-mime", ["query", "default", "application/x-tributary"]), "Tributary.desktop");
});

test("a model file is known by its name and, renamed, by its content", async () => {
  box = await sandbox("package");
  const file = model(box.dir, "returns", "sniffed.tributary");
  const renamed = join(box.dir, "attachment.dat");
  copyFileSync(file, renamed);
  assert.equal(out("xdg-mime", ["query", "filetype", file]), "application/x-tributary");
  assert.equal(out("xdg-mime", ["query", "filetype", renamed]), "application/x-tributary");
  // an SQLite file that is not a model is not taken for one
  const other = join(box.dir, "other.dat");
  out("python3", ["-c", `import sqlite3; c = sqlite3.connect(${JSON.stringify(other)}); c.execute("create table t(x)"); c.commit()`]);
  assert.notEqual(out("xdg-mime", ["query", "filetype", other]), "application/x-tributary");
});

test("the installed app opens a double-clicked model, and a second one in the same window", async () => {
  assert.equal(APP, "/usr/bin/tributary-app", "run with the installed app (./dev test-package)");
  const first = model(box.dir, "returns", "returns.tributary");
  const second = model(box.dir, "telecom", "telecom.tributary");
  const started = Date.now();
  const app = await box.launch([first]);
  await waitText(app, "model-name", "Returns (RMA) pilot stream", 60000);
  // its stream on the map, stage by stage
  await waitText(app, "stream-tab-rma", "Return to refund");
  await (await app.$('//*[@data-stage-id][.//strong[normalize-space()="Refund or replace"]]')).waitForExist({ timeout: 10000 });
  const lead = await $id(app, "kpi-lead-time");
  await app.waitUntil(async () => /\d/.test(await textOf(lead)), { timeout: 30000 });
  figures.cold_start_ms = Date.now() - started;
  await screenshot(app, "package-first-file");

  // the second launch hands its file to the running app over D-Bus and ends
  const again = spawn(APP, [second], { env: box.env, stdio: "ignore" });
  const code = await new Promise((resolve) => again.on("exit", resolve));
  assert.equal(code, 0, "the second launch ended by itself");
  await waitText(app, "model-name", "Telecom operator: customer service request", 30000);
  await screenshot(app, "package-second-file");
  await app.deleteSession();
});

test("removing the package leaves none of its files behind", () => {
  const files = out("dpkg", ["-L", pkg])
    .split("\n")
    .filter((p) => p && existsSync(p) && statSync(p).isFile());
  figures.installed_bytes = Object.fromEntries(
    ["/usr/bin/tributary-app", "/usr/bin/tributary"].map((f) => [f, statSync(f).size]),
  );
  if (DEB) figures.package_bytes = statSync(DEB).size;
  figures.installed_files = files.length;
  out("dpkg", ["-r", pkg]);
  const left = files.filter((p) => existsSync(p));
  assert.deepEqual(left, [], "files left after dpkg -r");
  assert.ok(!existsSync("/usr/share/tributary"), "its folder is gone");
  assert.notEqual(run("xdg-mime", ["query", "default", "application/x-tributary"]).stdout.trim(), "Tributary.desktop");
});
