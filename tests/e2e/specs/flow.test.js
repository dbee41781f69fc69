// Measured flow in the real window: the example's history on screen against the CLI, then a
// generated events CSV imported through the Import dialog (the native file dialog scripted,
// the status mapping edited in the table), a forecast, Calibrate into a new scenario, and
// Ctrl+Z undoing it. The numbers on screen are checked against `tributary flow` and
// `tributary forecast` on the app's own file. Screenshots: tests/e2e/out/app-flow.png and
// app-import.png (UPDATE_SCREENSHOTS=1 copies them to docs/images).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { sandbox, teardown, $id, textOf, waitText, screenshot, CLI, ROOT } from "../harness.js";

let box;
before(async () => {
  box = await sandbox("flow");
});
after(async () => {
  await box?.stop();
  teardown();
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Synthetic telemetry from the engine's seeded generator (crates/telemetry/examples). */
function generate(out, stages, { items = 240, days = 100 } = {}) {
  const args = ["--out", out, "--seed", "11", "--items", String(items), "--days", String(days), "--start", "2026-06-01", "--stages", stages];
  // `./dev test` keeps a copy in target/tools, for when the debug build is gone (on CI)
  const bin = ["target/debug/examples/generate", "target/tools/generate"].map((p) => join(ROOT, p)).find(existsSync);
  const r = bin
    ? spawnSync(bin, args, { encoding: "utf8" })
    : spawnSync("cargo", ["run", "-q", "-p", "tributary-telemetry", "--example", "generate", "--", ...args], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`generate failed: ${r.stderr}`);
}

/** The `"key" = "value"` pairs of each table of a small TOML file (the generator's map.toml). */
function tomlTables(text) {
  const tables = {};
  let cur = null;
  for (const line of text.split("\n")) {
    const t = line.trim();
    const head = t.match(/^\[(\w+)\]$/);
    if (head) {
      cur = tables[head[1]] = [];
      continue;
    }
    const kv = t.match(/^"([^"]+)"\s*=\s*"([^"]+)"$/);
    if (kv && cur) cur.push([kv[1], kv[2]]);
  }
  return tables;
}

function cli(args) {
  const r = spawnSync(CLI, args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`tributary ${args.join(" ")} failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** Days as the Flow view shows them (one decimal). */
const days = (v) => `${v >= 100 ? Math.round(v) : v.toFixed(1)} d`;

async function pick(app, testId, value) {
  const el = await $id(app, testId);
  await el.waitForExist({ timeout: 10000 });
  await el.selectByAttribute("value", value);
}

const shots = [];

test("import history through the dialog, read it, forecast, calibrate and undo", async () => {
  const app = await box.launch();
  const file = join(box.dir, "data/app.tributary.desktop/examples/Mortgage decision (example).tributary");
  let onScreen;
  try {
    await waitText(app, "model-name", "Retail bank: mortgage decision", 30000);

    // On the map, each stage with measurements shows its measured lead time beside the drawn
    // one, highlighted where the engine flags the gap (asked directly on the same file).
    const shown = cli(["flow", file, "--stream", "mortgage", "--json"]);
    await (await $id(app, "fit")).click(); // every stage on screen (the canvas draws only what is visible)
    await sleep(500);
    for (const st of shown.stages.filter((x) => x.measured.lead_p50 !== undefined)) {
      const line = await $id(app, `measured-${st.stage}`);
      await line.waitForExist({ timeout: 15000 });
      assert.equal((await line.getAttribute("class")).includes("off"), st.gap.flagged, `${st.stage}: flagged as the engine says`);
      assert.match(await textOf(line), /^Measured \d/);
    }
    assert.ok(shown.stages.some((x) => x.gap?.flagged), "the example's history is off the map somewhere");
    shots.push(await screenshot(app, "app-flow-map-baseline"));

    // The example carries a generated history: the view shows it, the stages on the map too.
    await (await $id(app, "view-flow")).click();
    const p85 = await $id(app, "flow-p85");
    await p85.waitForExist({ timeout: 20000 });
    const exampleP85 = await textOf(p85);
    assert.match(exampleP85, /^\d+(\.\d)? d$/);
    assert.ok((await app.$$("[data-testid='ct-dot']")).length > 0, "the scatterplot has its items");
    for (const p of [50, 70, 85, 95]) assert.ok(await (await $id(app, `pct-${p}`)).isExisting(), `the ${p} % line`);
    await app.execute(() => document.querySelector(".page").scrollTo(0, 0));
    shots.push(await screenshot(app, "app-flow"));
    const dvm = await app.$$("[data-testid^='dvm-gap-']");
    assert.ok(dvm.length >= 1, "drawn against measured per stage");
    await app.execute(() => document.querySelector("[data-testid='drawn-vs-measured']").scrollIntoView());
    shots.push(await screenshot(app, "app-flow-stages"));

    // A generated export of the same stream, with its own workflow: every status unmapped.
    const tel = join(box.dir, "tel");
    const stages = "Selected=intake,Analysis=kyc,Ready for Dev=scoring,In Development=scoring,Code Review=valuation,In Test=underwriting,Ready to Release=offer";
    generate(tel, stages);
    const csv = join(tel, "events.csv");
    const itemsInFile = new Set(
      readFileSync(csv, "utf8")
        .trim()
        .split("\n")
        .slice(1)
        .map((l) => l.split(",")[0]),
    ).size;
    const map = tomlTables(readFileSync(join(tel, "map.toml"), "utf8"));

    box.answerDialog(`open ${csv}`);
    await app.execute(() => document.querySelector(".page").scrollTo(0, 0));
    await (await $id(app, "flow-import")).click();
    await (await $id(app, "import-dialog")).waitForExist({ timeout: 5000 });
    await (await $id(app, "import-choose")).click();
    await (await $id(app, "import-preview")).waitForExist({ timeout: 20000 });
    assert.equal(await (await $id(app, "import-format")).getValue(), "events-csv", "guessed from the file");
    assert.match(await textOf(await $id(app, "preview-counts")), new RegExp(`${itemsInFile.toLocaleString("en-GB")} items`));
    const unmappedBefore = await textOf(await $id(app, "unmapped-count"));
    assert.match(unmappedBefore, new RegExp(`! ${map.states.length} statuses not mapped`), "the file's statuses are new to the stream");

    // Map every status but "Won't Do" (left unmapped on purpose), the stages and the types.
    for (const [status, state] of map.states) if (status !== "Won't Do") await pick(app, `map-state-${status}`, state);
    for (const [status, stage] of map.stages) await pick(app, `map-stage-${status}`, stage);
    for (const [type, kind] of map.types) await pick(app, `map-kind-${type}`, kind);
    assert.match(await textOf(await $id(app, "unmapped-count")), /! 1 status not mapped/);
    await app.execute(() => document.querySelector(".fl-dialog-body").scrollTo(0, 0));
    shots.push(await screenshot(app, "app-import"));

    await (await $id(app, "import-run")).click();
    const summary = await $id(app, "import-summary");
    await summary.waitForExist({ timeout: 60000 });
    assert.match(await textOf(await $id(app, "summary-items")), new RegExp(`\\(${itemsInFile.toLocaleString("en-GB")} new`));
    assert.match(await textOf(await $id(app, "summary-unmapped")), /Won't Do \(\d+\)/);
    await (await $id(app, "import-done")).click();
    await (await $id(app, "import-dialog")).waitForExist({ reverse: true, timeout: 5000 });

    // The view reads the stream again: its p85 changes with the new items.
    await app.waitUntil(async () => (await textOf(await $id(app, "flow-p85"))) !== exampleP85, {
      timeout: 10000,
      timeoutMsg: "the Flow view did not read the imported history",
    });
    onScreen = { p85: await textOf(await $id(app, "flow-p85")) };
    assert.match(await textOf(await $id(app, "flow-notes")), /Won't Do/, "the engine's note names the unmapped status");
    await app.execute(() => document.querySelector("[data-testid='cfd-chart']").scrollIntoView());
    shots.push(await screenshot(app, "app-flow-charts"));

    // A forecast: when will 30 items be done, seeded.
    const n = await $id(app, "fc-n");
    await n.scrollIntoView();
    await n.click();
    await app.keys(["Control", "a"]);
    await app.keys("Backspace");
    await n.addValue("30");
    await (await $id(app, "fc-run")).click();
    await (await $id(app, "fc-answer")).waitForExist({ timeout: 20000 });
    onScreen.forecast = {};
    for (const p of [50, 70, 85, 95]) onScreen.forecast[p] = await textOf(await $id(app, `fc-p${p}`));
    assert.match(await textOf(await $id(app, "fc-answer")), /85 % confidence: 30 items done by \d{4}-\d{2}-\d{2}/);
    assert.equal(await (await $id(app, "fc-marker")).getAttribute("data-value"), onScreen.forecast[85]);
    await app.execute(() => document.querySelector("[data-testid='fc-chart']").scrollIntoView({ block: "end" }));
    shots.push(await screenshot(app, "app-flow-forecast"));

    // Calibrate into a new scenario: the plan first, then one edit.
    const scenariosBefore = (await app.$$("[data-testid='scenario-select'] option")).length;
    await (await $id(app, "cal-plan")).scrollIntoView();
    await (await $id(app, "cal-plan")).click();
    await (await $id(app, "cal-plan-table")).waitForExist({ timeout: 10000 });
    assert.ok((await app.$$("[data-testid^='cal-row-']")).length >= 1, "the planned stage changes are listed");
    shots.push(await screenshot(app, "app-flow-calibrate"));
    await (await $id(app, "cal-apply")).click();
    await app.waitUntil(async () => (await app.$$("[data-testid='scenario-select'] option")).length === scenariosBefore + 1, {
      timeout: 10000,
      timeoutMsg: "no new scenario",
    });
    // the app switches to the new scenario with one more call once it is listed
    const select = await $id(app, "scenario-select");
    await app.waitUntil(async () => (await select.getValue()) !== "", { timeout: 10000, interval: 50 }).catch(() => {});
    const chosen = await select.getValue();
    assert.notEqual(chosen, "", "the new scenario is shown");
    assert.equal(await textOf(await app.$(`[data-testid='scenario-select'] option[value='${chosen}']`)), "Measured flow");
    assert.match(await textOf(await $id(app, "undo")), /Undo/);
    assert.match(await (await $id(app, "undo")).getAttribute("title"), /Calibrate/);

    // The map shows measured against drawn in each stage box with measurements.
    await (await $id(app, "view-map")).click();
    await (await $id(app, "measured-kyc")).waitForExist({ timeout: 10000 });
    shots.push(await screenshot(app, "app-flow-map"));

    // Ctrl+Z: the calibration is one step; the scenario is gone.
    await (await $id(app, "canvas")).click();
    await app.keys(["Control", "z"]);
    await app.waitUntil(async () => (await app.$$("[data-testid='scenario-select'] option")).length === scenariosBefore, {
      timeout: 10000,
      timeoutMsg: "Ctrl+Z did not undo the calibration",
    });
    assert.equal(await (await $id(app, "scenario-select")).getValue(), "");

    // A stream without history: the view says how to import one.
    await (await $id(app, "view-flow")).click();
    await (await app.$(".tab.add")).click();
    const empty = await $id(app, "flow-empty");
    await empty.waitForExist({ timeout: 10000 });
    assert.match(await textOf(empty), /No history imported for this stream yet/);
    shots.push(await screenshot(app, "app-flow-empty"));
    await sleep(200);
  } finally {
    await app.deleteSession();
  }

  // The engine, asked directly on the app's file, gives the numbers the app showed.
  const flow = cli(["flow", file, "--stream", "mortgage", "--json"]);
  assert.equal(onScreen.p85, days(flow.cycle_time.p85));
  const fc = cli(["forecast", file, "--stream", "mortgage", "--items", "30", "--json"]);
  for (const p of [50, 70, 85, 95]) assert.equal(onScreen.forecast[p], String(fc.percentiles[String(p)]), `forecast ${p} %`);
  const model = cli(["export", file]);
  assert.ok(!(model.scenarios ?? []).some((s) => s.name === "Measured flow"), "the undone scenario is not in the file");

  if (process.env.UPDATE_SCREENSHOTS === "1") {
    const dir = join(ROOT, "docs/images");
    mkdirSync(dir, { recursive: true });
    for (const s of shots.filter((p) => /app-(flow|import)\.png$/.test(p))) copyFileSync(s, join(dir, s.split("/").pop()));
  }
});

test("a long import shows its progress, and Cancel stores nothing", async () => {
  const app = await box.launch();
  const file = join(box.dir, "data/app.tributary.desktop/examples/Mortgage decision (example).tributary");
  let itemsBefore;
  try {
    await waitText(app, "model-name", "Retail bank: mortgage decision", 30000);
    itemsBefore = cli(["flow", file, "--stream", "mortgage", "--json"]).counts.items;
    // about 1,000,000 events: long enough to press Cancel while it runs in the release build
    // (300,000 were imported before the click landed)
    const big = join(box.dir, "big");
    generate(big, "", { items: 100000, days: 400 });
    box.answerDialog(`open ${join(big, "events.csv")}`);
    await (await $id(app, "view-flow")).click();
    await (await $id(app, "flow-import")).click();
    await (await $id(app, "import-choose")).click();
    await (await $id(app, "import-preview")).waitForExist({ timeout: 60000 });
    await (await $id(app, "import-run")).click();
    const percent = await $id(app, "import-percent");
    await percent.waitForExist({ timeout: 10000 });
    await app.waitUntil(async () => /^\d+ %$/.test(await textOf(percent)), { timeout: 20000, interval: 50, timeoutMsg: "no progress reported" });
    assert.match(await textOf(await $id(app, "import-phase")), /Reading|Checking|Writing/);
    await screenshot(app, "app-import-progress");
    await (await $id(app, "import-cancel")).click();
    const msg = await $id(app, "import-message");
    await msg.waitForExist({ timeout: 30000 });
    assert.match(await textOf(msg), /cancelled: nothing was stored/);
    assert.equal(await (await $id(app, "import-summary")).isExisting(), false);
  } finally {
    await app.deleteSession();
  }
  const after = cli(["flow", file, "--stream", "mortgage", "--json"]).counts.items;
  assert.equal(after, itemsBefore, "the cancelled import left the file as it was");
});
