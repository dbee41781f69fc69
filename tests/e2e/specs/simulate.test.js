// The Simulate view in the real window: the bundled example (mortgage decision) simulated, its
// figures checked against `tributary simulate` with the same items, runs and seed; the future
// state beside the baseline, checked the same way on the file the app works on; a scenario the
// simulator refuses (one analyst at Credit scoring), listed with the engine's finding, and undone;
// a result marked stale by an edit and current again after undo; and a long run cancelled.
// Screenshots go to tests/e2e/out (UPDATE_SCREENSHOTS=1 also copies app-simulate.png to
// docs/images).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { sandbox, teardown, $id, textOf, waitText, typeInto, screenshot, CLI, ROOT } from "../harness.js";

let box;
before(async () => {
  box = await sandbox("simulate");
});
after(async () => {
  await box?.stop();
  teardown();
});

const EXAMPLE = join(ROOT, "assets/examples/mortgage.json");

/** `tributary simulate` with the view's settings. */
function cliSimulate(file, { items, runs, seed }, scenario) {
  const args = ["simulate", file, "--items", String(items), "--runs", String(runs), "--seed", String(seed), "--json"];
  if (scenario) args.push("--scenario", scenario);
  const r = spawnSync(CLI, args, { encoding: "utf8" });
  // with --json a refusal is JSON on stderr: {"error": {code, message, problems}}
  return r.status === 0 ? { ok: JSON.parse(r.stdout) } : { refused: JSON.parse(r.stderr).error };
}

/** The first number in a text ("▼ −56.06 h from 177.33 h" → 56.06). */
function firstNumber(text) {
  const m = /(\d[\d,]*(?:\.\d+)?)/.exec(text);
  assert.ok(m, `a number in "${text}"`);
  return Number(m[1].replace(/,/g, ""));
}

/** On screen the engine's numbers have at most two decimals (format.ts). */
function near(shown, engine, what) {
  assert.ok(Math.abs(shown - engine) <= 0.0051 + 1e-9 * Math.abs(engine), `${what}: the app shows ${shown}, the engine says ${engine}`);
}

async function value(app, id) {
  const el = await $id(app, id);
  await el.waitForExist({ timeout: 10000 });
  return String(await el.getProperty("value"));
}

/** Types into a field without pressing Enter (Enter in the run settings starts a run). */
async function fill(app, id, text) {
  const el = await $id(app, id);
  await el.click();
  await app.keys(["Control", "a"]);
  await app.keys("Backspace");
  await el.addValue(String(text));
}

async function count(app, selector) {
  return (await app.$$(selector)).length;
}

/** The model file the app keeps the example in (its data folder, inside the sandbox). */
function exampleFile() {
  const found = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".tributary") && d.endsWith("examples")) found.push(p);
    }
  };
  walk(join(box.dir, "data"));
  assert.equal(found.length, 1, `one example file in the app's data folder: ${found}`);
  return found[0];
}

/** Waits for a run to finish: the results are there and nothing is running. */
async function finished(app, timeout = 60000) {
  await (await $id(app, "sim-results")).waitForExist({ timeout });
  await (await $id(app, "sim-progress")).waitForExist({ timeout, reverse: true });
}

const shots = [];

test("simulate the example, the future state beside it, stale marking and cancel", async () => {
  const app = await box.launch(["--example"]);
  try {
    await waitText(app, "model-name", "Retail bank: mortgage decision", 30000);
    await (await $id(app, "view-simulate")).click();
    await (await $id(app, "sim-not-run")).waitForExist({ timeout: 10000 });
    const settings = {
      items: Number(await value(app, "sim-items")),
      runs: Number(await value(app, "sim-runs")),
      seed: Number(await value(app, "sim-seed")),
    };
    assert.ok(settings.items >= 1000 && settings.runs >= 2, `sensible defaults: ${JSON.stringify(settings)}`);

    // ---- the baseline, against the CLI with the same settings -----------------------------
    const started = Date.now();
    await (await $id(app, "sim-run")).click();
    await finished(app);
    const took = Date.now() - started;
    assert.ok(took < 15000, `the default run finishes quickly (${took} ms)`);
    const base = cliSimulate(EXAMPLE, settings).ok.streams[0];
    assert.equal(await count(app, 'g.bars[data-series="baseline"] rect'), base.lead_time_histogram.length);
    assert.equal(await count(app, 'g.bars[data-series="scenario"]'), 0);
    const headline = await textOf(await $id(app, "sim-headline"));
    assert.match(headline, /^85 % of items within /);
    near(firstNumber(headline.replace(/^85 %/, "")), base.lead_time.p85, "headline p85");
    for (const p of ["p50", "p85", "p95"]) {
      near(firstNumber(await textOf(await $id(app, `sim-${p}`))), base.lead_time[p], `lead time ${p}`);
      // the marker stands for the same number
      const marker = await app.$(`g[data-marker="${p}"][data-series="baseline"]`);
      assert.equal(Number(await marker.getAttribute("data-value")), base.lead_time[p]);
    }
    near(firstNumber(await textOf(await $id(app, "sim-throughput"))), base.throughput_per_week.value, "throughput");
    await screenshot(app, "app-simulate-baseline");

    // ---- the future state beside the baseline ---------------------------------------------
    const select = await $id(app, "scenario-select");
    await select.selectByAttribute("value", "future");
    await (await $id(app, "sim-not-run")).waitForExist({ timeout: 10000 });
    await (await $id(app, "sim-run")).click();
    await finished(app);
    // the engine, asked directly, on the very file the app works on
    const file = exampleFile();
    const cmp = cliSimulate(file, settings, "future");
    assert.ok(cmp.ok, `the CLI simulates the future state: ${cmp.refused}`);
    const s = cmp.ok.streams[0];
    await waitText(app, "sim-headline", s.headline);
    assert.equal(await count(app, "g.bars"), 2, "baseline and scenario drawn");
    assert.equal(await count(app, 'g.bars[data-series="baseline"] rect'), s.baseline.lead_time_histogram.length);
    assert.equal(await count(app, 'g.bars[data-series="scenario"] rect'), s.scenario.lead_time_histogram.length);
    for (const p of ["p50", "p85", "p95"]) {
      for (const series of ["baseline", "scenario"]) {
        const marker = await app.$(`g[data-marker="${p}"][data-series="${series}"]`);
        assert.equal(Number(await marker.getAttribute("data-value")), s[series].lead_time[p], `${series} ${p} marker`);
      }
    }
    near(firstNumber(await textOf(await $id(app, "sim-p85"))), s.scenario.lead_time.p85, "scenario p85");
    const change = await textOf(await $id(app, "sim-p85-change"));
    assert.match(change, s.lead_time_saved.p85 > 0 ? /^▼ −/ : /^▲ \+/);
    near(firstNumber(change), Math.abs(s.lead_time_saved.p85), "p85 change");
    near(firstNumber(change.split("from")[1]), s.baseline.lead_time.p85, "p85 before");
    await (await app.$(".sim-headline")).scrollIntoView({ block: "start" });
    shots.push(await screenshot(app, "app-simulate"));
    await (await app.$(".sim-figures")).scrollIntoView({ block: "start" });
    await screenshot(app, "app-simulate-figures");

    // ---- a scenario the simulator refuses, and the way back ----------------------------------
    // One analyst left at Credit scoring in the future state: its queue would grow without bound.
    await (await app.$('[data-testid="sim-stage-scoring"] button')).click();
    await (await $id(app, "stage-capacity")).waitForExist({ timeout: 5000 });
    await typeInto(app, "stage-capacity", 1);
    // the numbers from before stay, marked as belonging to the model as it was
    await (await $id(app, "sim-stale")).waitForExist({ timeout: 10000 });
    await (await $id(app, "sim-rerun")).click();
    const err = await $id(app, "sim-error");
    await err.waitForExist({ timeout: 30000 });
    const refused = cliSimulate(file, settings, "future").refused;
    assert.ok(refused, "the CLI refuses it too");
    // the app says the finding in the user's words: the stage by its name, without the place
    // in the document the CLI's message starts with
    const finding = refused.problems.find((p) => p.severity === "error").message;
    const said = finding.split(": ").at(-1).toLowerCase();
    const problem = await textOf(await $id(app, "sim-problem"));
    assert.ok(problem.toLowerCase().includes(said), `the app lists the engine's finding: "${problem}" / "${said}"`);
    assert.match(problem, /Credit scoring/);
    assert.doesNotMatch(problem, /"scoring"|stream "mortgage"/);
    const stageId = /stage "([^"]+)"/.exec(finding)[1];
    const metrics = JSON.parse(spawnSync(CLI, ["metrics", file, "--json"], { encoding: "utf8" }).stdout);
    assert.equal(await textOf(await $id(app, "sim-problem-stage")), metrics.streams[0].stages.find((x) => x.id === stageId).name);
    assert.equal(await (await $id(app, "sim-results")).getAttribute("data-stale"), "true");
    await (await $id(app, "sim-error")).scrollIntoView({ block: "start" });
    await screenshot(app, "app-simulate-refused");
    // undo: the model is as it was for the run before, which is current again
    await (await $id(app, "undo")).click();
    await (await $id(app, "sim-error-changed")).waitForExist({ timeout: 10000 });
    assert.equal(await (await $id(app, "sim-results")).getAttribute("data-stale"), "false");
    await (await $id(app, "sim-run")).click();
    await finished(app);
    await (await $id(app, "sim-error")).waitForExist({ timeout: 10000, reverse: true });
    await waitText(app, "sim-headline", s.headline);

    // ---- stale: back in the baseline, an edit marks its run; undo makes it current again ----
    await select.selectByAttribute("value", "");
    await finished(app, 10000);
    assert.equal(await (await $id(app, "sim-results")).getAttribute("data-stale"), "false");
    await (await app.$('[data-testid="sim-stage-intake"] button')).click();
    await (await $id(app, "stage-wait-time")).waitForExist({ timeout: 5000 });
    const wait = Number(await value(app, "stage-wait-time"));
    await typeInto(app, "stage-wait-time", wait + 8);
    await (await $id(app, "sim-stale")).waitForExist({ timeout: 10000 });
    assert.match(await textOf(await $id(app, "sim-stale")), /The model changed since this run/);
    await screenshot(app, "app-simulate-stale");
    await (await $id(app, "undo")).click();
    await (await $id(app, "sim-stale")).waitForExist({ timeout: 10000, reverse: true });
    assert.equal(await (await $id(app, "sim-results")).getAttribute("data-stale"), "false");

    // ---- a long run, cancelled ----------------------------------------------------------------
    await fill(app, "sim-items", 100000);
    await fill(app, "sim-runs", 100);
    await (await $id(app, "sim-run")).click();
    await (await $id(app, "sim-progress")).waitForExist({ timeout: 10000 });
    const pct = await $id(app, "sim-progress-pct");
    await app.waitUntil(async () => firstNumber(await textOf(pct)) >= 1, { timeout: 60000, interval: 200 });
    const first = firstNumber(await textOf(pct));
    await app.waitUntil(async () => firstNumber(await textOf(pct)) > first, { timeout: 60000, interval: 200 });
    await screenshot(app, "app-simulate-progress");
    const cancelledAt = Date.now();
    await (await $id(app, "sim-cancel")).click();
    await (await $id(app, "sim-cancelled")).waitForExist({ timeout: 20000 });
    assert.ok(Date.now() - cancelledAt < 20000);
    assert.equal(await count(app, '[data-testid="sim-progress"]'), 0, "nothing running any more");
    assert.equal(await count(app, '[data-testid="sim-error"]'), 0, "a cancel is not an error");
    assert.match(await textOf(await $id(app, "sim-cancelled")), /Simulation cancelled/);
    // the previous run's numbers stay, for the model they were made on
    assert.equal(await (await $id(app, "sim-results")).getAttribute("data-stale"), "false");
    near(firstNumber(await textOf(await $id(app, "sim-p85"))), base.lead_time.p85, "the earlier run stays");
    await screenshot(app, "app-simulate-cancelled");
  } finally {
    await app.deleteSession();
  }
  if (process.env.UPDATE_SCREENSHOTS === "1") {
    const dir = join(ROOT, "docs/images");
    mkdirSync(dir, { recursive: true });
    for (const s of shots) copyFileSync(s, join(dir, s.split("/").pop()));
  }
});
