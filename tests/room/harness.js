// The room end to end: a real `tributary room serve` on a copy of the returns example, and
// headless Chromium sessions through Debian's chromedriver, driven by WebdriverIO.
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";
import { remote } from "webdriverio";

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(here, "../..");
const TARGET = process.env.CARGO_TARGET_DIR ?? join(ROOT, "target");
export const CLI = process.env.TRIBUTARY_CLI ?? join(TARGET, "debug/tributary");
export const OUT = join(here, "out");
mkdirSync(OUT, { recursive: true });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The engine's own figures for the file, from the CLI (an independent path to the numbers). */
export function metrics(file) {
  const r = spawnSync(CLI, ["metrics", file, "--json"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`tributary metrics failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** A room on a fresh copy of the returns example; resolves with its two addresses. */
export async function openRoom() {
  const dir = mkdtempSync(join(tmpdir(), "tributary-room-e2e-"));
  const json = join(dir, "returns.json");
  copyFileSync(join(ROOT, "assets/examples/returns.json"), json);
  const file = join(dir, "returns.tributary");
  const made = spawnSync(CLI, ["import", json, "-o", file], { encoding: "utf8" });
  if (made.status !== 0) throw new Error(`tributary import failed: ${made.stderr}`);
  const proc = spawn(CLI, ["room", "serve", file, "--ui", join(ROOT, "ui/dist")], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  proc.stderr.on("data", (d) => (log += d));
  const lines = createInterface({ input: proc.stdout });
  const urls = await new Promise((ok, fail) => {
    const got = [];
    const timer = setTimeout(() => fail(new Error(`the room did not open: ${log}`)), 20000);
    proc.on("exit", (c) => fail(new Error(`the room exited (${c}): ${log}`)));
    lines.on("line", (l) => {
      got.push(l.trim());
      if (got.length === 2) {
        clearTimeout(timer);
        ok(got);
      }
    });
  });
  return {
    file,
    join: urls[0],
    facilitator: urls[1],
    close() {
      proc.kill("SIGINT");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** chromedriver on a free port, in its own process group so stopping it stops Chromium too. */
export async function driver() {
  const port = 9515 + Math.floor(Math.random() * 400);
  const proc = spawn("chromedriver", [`--port=${port}`], { stdio: "ignore", detached: true });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/status`)).ok) break;
    } catch {
      // not up yet
    }
    await sleep(100);
  }
  return {
    port,
    stop() {
      try {
        process.kill(-proc.pid, "SIGTERM");
      } catch {
        // already gone
      }
    },
  };
}

/** A headless Chromium window of the given size. */
export async function browser(port, width, height) {
  return remote({
    hostname: "127.0.0.1",
    port,
    logLevel: "warn",
    capabilities: {
      browserName: "chrome",
      "goog:chromeOptions": {
        binary: process.env.CHROMIUM ?? "/usr/bin/chromium",
        args: ["--headless=new", "--no-sandbox", "--disable-gpu", `--window-size=${width},${height}`],
        // Chromium's windows are no narrower than 500 px: a phone is emulated (touch, its width).
        ...(width < 600 ? { mobileEmulation: { deviceMetrics: { width, height, pixelRatio: 2, touch: true } } } : {}),
      },
    },
  });
}

export async function shot(b, name) {
  await b.saveScreenshot(join(OUT, `${name}.png`));
}
