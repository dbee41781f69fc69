// Drives the real desktop app: Xvfb for a display, tauri-driver (with Debian's WebKitWebDriver)
// for WebDriver, WebdriverIO as the client. Each test file gets its own app data folders so that
// tests never see each other's files or the developer's.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { remote } from "webdriverio";

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(here, "../..");
export const APP = process.env.TRIBUTARY_APP ?? join(ROOT, "target/debug/tributary-app");
export const CLI = process.env.TRIBUTARY_CLI ?? join(ROOT, "target/debug/tributary");
export const OUT = join(here, "out");
mkdirSync(OUT, { recursive: true });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The private Xvfb displays started, by screen size. */
const screens = new Map();
/** The screen every test runs on unless it asks for another: a common laptop. */
export const DEFAULT_SCREEN = "1440x900";

/** A display: the one we have (when no size is asked for), or a private Xvfb of that size. */
async function display(size) {
  if (!size && process.env.DISPLAY) return process.env.DISPLAY;
  const want = size ?? DEFAULT_SCREEN;
  if (screens.has(want)) return screens.get(want).display;
  for (let n = 90; n < 160; n++) {
    if (existsSync(`/tmp/.X11-unix/X${n}`) || existsSync(`/tmp/.X${n}-lock`)) continue;
    const proc = spawn("Xvfb", [`:${n}`, "-screen", "0", `${want}x24`, "-nolisten", "tcp"], { stdio: "ignore" });
    for (let i = 0; i < 50 && !existsSync(`/tmp/.X11-unix/X${n}`); i++) await sleep(100);
    screens.set(want, { display: `:${n}`, proc });
    if (!size) process.env.DISPLAY = `:${n}`;
    return `:${n}`;
  }
  throw new Error("no free X display for Xvfb");
}

async function waitForPort(port, ms = 20000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/status`);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await sleep(150);
  }
  throw new Error(`tauri-driver did not answer on port ${port}`);
}

/** A private D-Bus session bus: its address and its process. */
async function sessionBus() {
  const proc = spawn("dbus-daemon", ["--session", "--nofork", "--nopidfile", "--print-address=1"], {
    stdio: ["ignore", "pipe", "ignore"],
    detached: true,
  });
  const address = await new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error("dbus-daemon did not start")), 10000);
    proc.stdout.on("data", (d) => {
      out += d;
      if (out.includes("\n")) {
        clearTimeout(timer);
        resolve(out.trim());
      }
    });
    proc.on("error", reject);
  });
  return { address, pid: proc.pid };
}

/**
 * A sandbox: fresh config and data folders for the app, a scripted answer file for its file
 * dialogs, and a tauri-driver started with that environment.
 */
export async function sandbox(name, { screen } = {}) {
  const dir = mkdtempSync(join(tmpdir(), `tributary-e2e-${name}-`));
  const dialog = join(dir, "dialog.txt");
  writeFileSync(dialog, "cancel\n");
  const env = {
    ...process.env,
    DISPLAY: await display(screen),
    XDG_CONFIG_HOME: join(dir, "config"),
    XDG_DATA_HOME: join(dir, "data"),
    XDG_CACHE_HOME: join(dir, "cache"),
    TRIBUTARY_E2E_DIALOG: dialog,
    GDK_BACKEND: "x11",
    WEBKIT_DISABLE_COMPOSITING_MODE: "1",
  };
  // a D-Bus session of its own, as a desktop session has: the app's single-instance check
  // lives on it, and a test launches the app a second time on the same one
  const bus = await sessionBus();
  env.DBUS_SESSION_BUS_ADDRESS = bus.address;
  const port = 4444 + Math.floor(Math.random() * 200) * 2;
  const driverArgs = ["--port", String(port), "--native-port", String(port + 1)];
  // its own process group, so that stopping it also stops WebKitWebDriver and the app
  const opts = { env, stdio: ["ignore", "ignore", "pipe"], detached: true };
  const driver = spawn("tauri-driver", driverArgs, opts);
  let driverLog = "";
  driver.stderr.on("data", (d) => (driverLog += d));
  await waitForPort(port);
  return {
    dir,
    env,
    /** What the next file dialog answers: `open PATH`, `save PATH` or `cancel`. */
    answerDialog(line) {
      writeFileSync(dialog, `${line}\n`);
    },
    async launch(args = []) {
      const browser = await remote({
        hostname: "127.0.0.1",
        port,
        logLevel: "error",
        connectionRetryTimeout: 120000,
        capabilities: { "tauri:options": { application: APP, args } },
      });
      await browser.setTimeout({ implicit: 0 });
      // the display this app is on, for screenshots
      browser.__display = env.DISPLAY;
      return browser;
    },
    async stop() {
      for (const pid of [driver.pid, bus.pid]) {
        try {
          process.kill(-pid, "SIGTERM");
        } catch {
          // already gone
        }
      }
      await sleep(300);
      if (driverLog.trim() && process.env.E2E_VERBOSE) console.error(driverLog);
      if (!process.env.E2E_KEEP) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function teardown() {
  for (const { proc } of screens.values()) proc.kill();
  screens.clear();
}

export const $id = (browser, id) => browser.$(`[data-testid="${id}"]`);

/** A stage node on the canvas, found by the name people see. */
export const stageByName = (browser, name) => browser.$(`//*[@data-stage-id][.//strong[normalize-space()="${name}"]]`);

/** Selects the stage called `name` on the canvas and waits for its inspector. A click can land
 * while the map is still being fitted to a freshly opened model (the node moves under the
 * pointer, the click reaches the pane): then it is tried again. */
export async function selectStage(browser, name, timeout = 15000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const node = await stageByName(browser, name);
    await node.waitForDisplayed({ timeout: Math.max(1000, deadline - Date.now()) });
    await node.click();
    const inspector = await $id(browser, "stage-wait-time");
    const shown = await inspector.waitForExist({ timeout: 3000 }).catch(() => false);
    if (shown) return;
    if (Date.now() > deadline) throw new Error(`clicking stage "${name}" did not open its inspector within ${timeout} ms`);
  }
}

/** An element's text. (WebKitWebDriver's "get element text" answers "" for some visible
 * elements, so read the DOM's textContent instead.) */
export async function textOf(el) {
  return String(await el.getProperty("textContent")).trim();
}

/** Waits until the element with `id` shows `text` (exactly, after trimming). */
export async function waitText(browser, id, text, timeout = 10000) {
  const el = await $id(browser, id);
  await el.waitForExist({ timeout });
  let last = "";
  try {
    await browser.waitUntil(async () => (last = await textOf(el)) === text, { timeout, interval: 100 });
  } catch {
    throw new Error(`${id} did not become "${text}" (it is "${last}")`);
  }
}

/** Types into a field and commits it with Enter, as a person would. */
export async function typeInto(browser, id, value) {
  const el = await $id(browser, id);
  await el.waitForExist({ timeout: 10000 });
  await el.click();
  await browser.keys(["Control", "a"]);
  await browser.keys("Backspace");
  await el.addValue(String(value));
  await browser.keys("Enter");
  await sleep(150);
}

/** Drags with the pointer from one element to another (press, move in steps, release). */
export async function drag(browser, from, to) {
  await browser
    .action("pointer", { parameters: { pointerType: "mouse" } })
    .move({ origin: from })
    .down({ button: 0 })
    .pause(80)
    .move({ origin: from, x: 12, y: 8, duration: 100 })
    .move({ origin: to, duration: 400 })
    .pause(80)
    .up({ button: 0 })
    .perform();
  await sleep(300);
}

/** A picture of the screen as a person sees it: the X display, captured with xwd (WebKitWebDriver's
 * own screenshot command hangs under Xvfb). */
export async function screenshot(browser, name, dir = OUT) {
  await sleep(400);
  const path = join(dir, `${name}.png`);
  const shown = browser?.__display ?? process.env.DISPLAY;
  const r = spawnSync("sh", ["-c", `xwd -root -silent -display "${shown}" | convert xwd:- "${path}"`]);
  if (r.status !== 0) throw new Error(`screenshot failed: ${r.stderr}`);
  return path;
}

/** The CLI's numbers for a model file: the engine, asked directly. */
export function cliMetrics(file) {
  const r = spawnSync(CLI, ["metrics", file, "--json"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`tributary metrics failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** When New, Open or Quit would set an edited unsaved model aside, the app asks first: go on,
 * keeping it in Unsaved models. Does nothing when the app does not ask. */
export async function keepUnsavedAndGoOn(browser, ms = 1500) {
  const go = await $id(browser, "unsaved-continue");
  try {
    await go.waitForExist({ timeout: ms });
  } catch {
    return false;
  }
  await go.click();
  return true;
}

/** File > New model, then a template from the start page (`blank`, a catalogue or an example). */
export async function newFromTemplate(browser, template = "blank") {
  await (await $id(browser, "file-menu")).click();
  await (await $id(browser, "menu-new")).click();
  await keepUnsavedAndGoOn(browser);
  const card = await $id(browser, `template-${template}`);
  await card.waitForExist({ timeout: 10000 });
  await card.click();
}

/** Types a new wait time into the selected stage's field and waits until it is on screen (a
 * person pauses before committing), then presses Enter, and times from Enter until the lead time
 * in the page has changed, until the frame that shows it has been painted, and until the frame
 * after that one begins. */
const EDIT_AND_TIME = `
  const done = arguments[arguments.length - 1];
  const input = document.querySelector('[data-testid="stage-wait-time"]');
  const kpi = document.querySelector('[data-testid="kpi-lead-time"]');
  const before = kpi.textContent;
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
  input.focus();
  setter.call(input, String(Number(input.value) + 1));
  input.dispatchEvent(new Event('input', { bubbles: true }));
  requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => {
    const t0 = performance.now();
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    const obs = new MutationObserver(() => {
      if (kpi.textContent !== before) {
        obs.disconnect();
        const dom = performance.now() - t0;
        let drawn = -1;
        // A task queued by the next frame runs once that frame has been painted.
        requestAnimationFrame(() => {
          setTimeout(() => (drawn = performance.now() - t0), 0);
          requestAnimationFrame(() => {
            const painted = performance.now() - t0;
            const finish = () => (drawn > 0 ? done({ painted, drawn, dom }) : setTimeout(finish, 0));
            finish();
          });
        });
      }
    });
    obs.observe(kpi, { childList: true, subtree: true, characterData: true });
    setTimeout(() => { obs.disconnect(); done({ painted: -1, drawn: -1, dom: -1 }); }, 10000);
  }, 50)));
`;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** `n` edits of the selected stage's wait, timed as above. */
export async function editTimes(app, n) {
  const r = { painted: [], drawn: [], dom: [] };
  await app.execute(() => performance.clearMeasures());
  for (let i = 0; i < n; i++) {
    const t = await app.executeAsync(EDIT_AND_TIME);
    if (!(t.painted > 0)) throw new Error("the lead time on screen did not change after the edit");
    if (!(t.drawn > 0)) throw new Error("the frame that shows the new lead time was not painted");
    for (const k of Object.keys(r)) r[k].push(t[k]);
  }
  const ipc = await app.execute(() => performance.getEntriesByName("ipc").map((e) => e.duration));
  return {
    // until the new numbers are in the page
    dom_median_ms: Math.round(median(r.dom)),
    dom_max_ms: Math.round(Math.max(...r.dom)),
    // until the frame that shows them has been painted
    drawn_median_ms: Math.round(median(r.drawn)),
    drawn_max_ms: Math.round(Math.max(...r.drawn)),
    // until the frame after that one begins (two animation frames: a pessimistic end point)
    painted_median_ms: Math.round(median(r.painted)),
    painted_max_ms: Math.round(Math.max(...r.painted)),
    // from sending the command to holding the reply in the page
    ipc_median_ms: Math.round(median(ipc)),
    runs: n,
  };
}

/** chromedriver on a free port beside the app (for the workshop room's participants), in its
 * own process group so that stopping it stops Chromium too. */
export async function chromedriver() {
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
    /** A headless Chromium window of the given size. */
    browser: (width, height) =>
      remote({
        hostname: "127.0.0.1",
        port,
        logLevel: "error",
        capabilities: {
          browserName: "chrome",
          "goog:chromeOptions": {
            binary: process.env.CHROMIUM ?? "/usr/bin/chromium",
            args: ["--headless=new", "--no-sandbox", "--disable-gpu", `--window-size=${width},${height}`],
          },
        },
      }),
    stop() {
      try {
        process.kill(-proc.pid, "SIGTERM");
      } catch {
        // already gone
      }
    },
  };
}
