// The main views as people see them, captured from the real window (tests/e2e/out/*.png;
// UPDATE_SCREENSHOTS=1 also copies them to docs/images for the README), with the checks that
// each view shows the engine's figures.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { sandbox, teardown, $id, textOf, waitText, screenshot, ROOT } from "../harness.js";

let box;
before(async () => {
  box = await sandbox("views");
});
after(async () => {
  await box?.stop();
  teardown();
});

const shots = [];
async function shot(app, name) {
  shots.push(await screenshot(app, name));
}

test("map, scenario, comparison, matrix, initiatives and presentation", async () => {
  const app = await box.launch(["--example"]);
  try {
    await waitText(app, "model-name", "Retail bank: mortgage decision", 30000);
    // mortgage.json: 117.85 h lead time, credit scoring is the bottleneck (longest wait, 50 h)
    await waitText(app, "kpi-lead-time", "117.85 h");
    await waitText(app, "kpi-bottleneck", "Credit scoring");
    await shot(app, "app-map");

    // Switch to the future state: 79.55 h, with a kaizen burst on each changed stage.
    const select = await $id(app, "scenario-select");
    await select.selectByAttribute("value", "future");
    await waitText(app, "kpi-lead-time", "79.55 h");
    const bursts = await app.$$("svg.kaizen");
    assert.equal(bursts.length, 2, "scoring and valuation are changed");
    await shot(app, "app-scenario");

    await (await $id(app, "view-compare")).click();
    await waitText(app, "cmp-delay-saved", "EUR 1.3m");
    await waitText(app, "cmp-payback", "0.84 years");
    await shot(app, "app-compare");

    await select.selectByAttribute("value", "");
    await (await $id(app, "view-matrix")).click();
    await (await $id(app, "matrix")).waitForExist({ timeout: 10000 });
    await shot(app, "app-matrix");

    await (await $id(app, "view-initiatives")).click();
    await (await $id(app, "best-sequence")).waitForExist({ timeout: 10000 });
    assert.match(await textOf(await $id(app, "best-sequence")), /→/);
    await shot(app, "app-initiatives");

    await (await $id(app, "view-map")).click();
    await (await $id(app, "present")).click();
    await app.keys("ArrowRight");
    await app.keys("ArrowRight");
    await shot(app, "app-present");
    await app.keys("Escape");
  } finally {
    await app.deleteSession();
  }
  if (process.env.UPDATE_SCREENSHOTS === "1") {
    const dir = join(ROOT, "docs/images");
    mkdirSync(dir, { recursive: true });
    for (const s of shots) copyFileSync(s, join(dir, s.split("/").pop()));
  }
});
