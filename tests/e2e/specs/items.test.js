// Issue 14, items 3, 7 and 11 in the real app, on a blank model: an error is said once, at the
// field, in the user's words, and the layout holds; changing the time unit converts through the
// work calendar (one undo step) unless the user asks to keep the numbers; a stage where nothing
// waits is not called the bottleneck.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { sandbox, teardown, $id, textOf, waitText, typeInto, newFromTemplate } from "../harness.js";
import { layoutProblems } from "../checks.js";

let box;
before(async () => {
  box = await sandbox("items");
});
after(async () => {
  await box?.stop();
  teardown();
});

/** The error shown under a field, or null. */
async function fieldError(app, id) {
  const el = await $id(app, `${id}-error`);
  return (await el.isExisting()) ? textOf(el) : null;
}

test("errors at the field, the time unit converted, no bottleneck where nothing waits", async () => {
  const app = await box.launch();
  try {
    await waitText(app, "model-name", "Retail bank: mortgage decision", 30000);
    await newFromTemplate(app, "blank");
    await waitText(app, "model-name", "Untitled model");
    await (await $id(app, "add-stage")).click();
    await typeInto(app, "stage-name", "Only");
    await typeInto(app, "stage-process-time", 8);
    await typeInto(app, "stage-wait-time", 0);
    // item 11: one stage, 0 h wait: there is no queue to point at
    await waitText(app, "kpi-lead-time", "8 h");
    assert.doesNotMatch(await textOf(await $id(app, "kpi-bottleneck")), /longest wait/);

    // item 3: %C&A typed as 150 and a negative wait, each said once at its field
    await typeInto(app, "stage-pca", 150);
    const pca = await fieldError(app, "stage-pca");
    assert.ok(pca, "the %C&A field says what is wrong");
    assert.match(pca, /between 0 and 100/);
    assert.doesNotMatch(pca, /1\.5|pca/);
    assert.equal(await (await $id(app, "toast")).isExisting(), false, "not again as a toast");
    await typeInto(app, "stage-pca", 100);
    await typeInto(app, "stage-wait-time", -4);
    const wait = await fieldError(app, "stage-wait-time");
    assert.ok(wait, "the wait field says what is wrong");
    assert.doesNotMatch(wait, /\/|stage-\d|assignments\[|streams\[|wait_time/);
    assert.deepEqual(await layoutProblems(app), [], "the layout holds on an error");
    await typeInto(app, "stage-wait-time", 40);
    await waitText(app, "kpi-lead-time", "48 h");

    // item 7: Hours -> Days converts through the calendar (8 h a day): 48 h = 6 d, one undo step
    await app.keys("Escape");
    const unit = await $id(app, "time-unit");
    await unit.waitForExist({ timeout: 5000 });
    await unit.selectByAttribute("value", "days");
    await (await $id(app, "time-unit-convert")).click();
    await waitText(app, "kpi-lead-time", "6 d");
    await (await $id(app, "undo")).click();
    await waitText(app, "kpi-lead-time", "48 h");
    // keeping the numbers is the explicit choice
    await (await $id(app, "time-unit")).selectByAttribute("value", "weeks");
    const relabel = await $id(app, "time-unit-relabel");
    await relabel.waitForExist({ timeout: 5000 });
    await relabel.click();
    await waitText(app, "kpi-lead-time", "48 wk");
  } finally {
    await app.deleteSession();
  }
});
