// Every screen at the sizes people meet: a small laptop (1280x720, also the common projector),
// 1366x768, 1440x900 and a 1920x1080 monitor. On each, the window fits the screen, nothing
// spills out of the page, no number is cut off (checked in the page, see checks.js), and the
// map's stage names are drawn at 11 px at least on first start (14 px in presentation mode).
// Screenshots of every view at 1280x720 and 1920x1080 land in tests/e2e/out/screen-*.png.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { sandbox, teardown, $id, waitText, screenshot } from "../harness.js";
import { layoutProblems, stageNameSizes, handleSize } from "../checks.js";

const SIZES = ["1280x720", "1366x768", "1440x900", "1920x1080"];
const SHOT_SIZES = new Set(["1280x720", "1920x1080"]);
const VIEWS = ["map", "matrix", "compare", "initiatives", "simulate", "flow"];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

after(() => teardown());

/** Checks the screen as it is now; what is wrong goes into `found`, labelled by the view. */
async function look(app, size, name, found) {
  await sleep(500);
  for (const p of await layoutProblems(app)) found.push(`${name}: ${p}`);
  if (SHOT_SIZES.has(size)) await screenshot(app, `screen-${size}-${name}`);
}

/** The map as it opens, then the future state, then presentation mode. */
async function mapChecks(app, size, found) {
  const first = await stageNameSizes(app);
  assert.ok(first && first.count > 0, `${size}: stage names on the map`);
  if (first.min < 11) found.push(`map: stage names drawn at ${first.min.toFixed(1)} px (zoom ${first.zoom.toFixed(2)}), want 11 px`);
  const handle = await handleSize(app);
  if (handle !== null && handle < 8) found.push(`map: connection handles ${handle.toFixed(1)} px, want 8 px to hit`);
  await look(app, size, "map", found);
  const select = await $id(app, "scenario-select");
  await select.selectByAttribute("value", "future");
  await waitText(app, "kpi-lead-time", "79.55 h");
  await look(app, size, "scenario", found);
  await (await $id(app, "present")).click();
  await sleep(800);
  const shown = await stageNameSizes(app);
  if (!shown || shown.min < 14) found.push(`presentation: stage names drawn at ${shown?.min?.toFixed(1)} px, want 14 px`);
  await look(app, size, "present", found);
  await app.keys("Escape");
  await select.selectByAttribute("value", "");
}

/** Puts a view in its fullest state: the comparison of the future state, a simulation run. */
async function prepare(app, view) {
  if (view === "compare") {
    await (await $id(app, "scenario-select")).selectByAttribute("value", "future");
    await waitText(app, "cmp-delay-saved", "EUR 1.3m");
  }
  if (view === "simulate") {
    await (await $id(app, "sim-run")).click();
    await (await $id(app, "sim-results")).waitForExist({ timeout: 60000 });
  }
}

/** The start page (File > New) and the help, each closed again with Escape. */
async function dialogs(app, size, found) {
  await (await $id(app, "file-menu")).click();
  await (await $id(app, "menu-new")).click();
  await (await $id(app, "start-page")).waitForExist({ timeout: 10000 });
  await look(app, size, "start-page", found);
  await app.keys("Escape");
  await (await $id(app, "help")).click();
  await sleep(300);
  await look(app, size, "help", found);
  await app.keys("Escape");
}

for (const size of SIZES) {
  test(`every screen fits at ${size}`, async () => {
    const box = await sandbox(`screens-${size}`, { screen: size });
    const app = await box.launch(["--example"]);
    const found = [];
    try {
      await waitText(app, "model-name", "Retail bank: mortgage decision", 30000);
      await waitText(app, "kpi-lead-time", "117.85 h");
      await mapChecks(app, size, found);
      for (const v of VIEWS.slice(1)) {
        await (await $id(app, `view-${v}`)).click();
        await sleep(600);
        await prepare(app, v);
        await look(app, size, v, found);
      }
      await (await $id(app, "scenario-select")).selectByAttribute("value", "");
      await (await $id(app, "view-map")).click();
      await dialogs(app, size, found);
    } finally {
      await app.deleteSession();
      await box.stop();
    }
    assert.deepEqual(found, [], `${size}:\n${found.join("\n")}`);
  });
}
