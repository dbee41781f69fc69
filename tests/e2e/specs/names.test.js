// Issue 14, item 2: every named thing can be renamed, duplicated and deleted, each one undo step.
// On the example: the future state renamed, duplicated (with its changes) and the copy deleted
// with the toast's Undo; a stream renamed and deleted from its tab, and brought back.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { sandbox, teardown, $id, textOf, waitText, typeInto } from "../harness.js";

let box;
before(async () => {
  box = await sandbox("names");
});
after(async () => {
  await box?.stop();
  teardown();
});

const optionNames = (app) => app.execute(() => [...document.querySelectorAll('[data-testid="scenario-select"] option')].map((o) => o.textContent));

async function scenarioMenu(app, item) {
  await (await $id(app, "scenario-menu")).click();
  await (await $id(app, item)).click();
}

test("scenarios and streams renamed, duplicated and deleted, with undo", async () => {
  const app = await box.launch(["--example"]);
  try {
    await waitText(app, "model-name", "Retail bank: mortgage decision", 30000);
    await (await $id(app, "scenario-select")).selectByAttribute("value", "future");
    await waitText(app, "kpi-lead-time", "79.55 h");

    await scenarioMenu(app, "scenario-rename");
    await typeInto(app, "scenario-name", "Cloud scoring");
    await app.waitUntil(async () => (await optionNames(app)).includes("Cloud scoring"), { timeout: 5000 });

    // a duplicate carries the changes: the same lead time
    await scenarioMenu(app, "scenario-duplicate");
    await typeInto(app, "scenario-name", "Cloud scoring, bolder");
    await app.waitUntil(async () => (await optionNames(app)).includes("Cloud scoring, bolder"), { timeout: 5000 });
    await waitText(app, "kpi-lead-time", "79.55 h");

    await scenarioMenu(app, "scenario-delete");
    await waitText(app, "toast-message", "Deleted the scenario “Cloud scoring, bolder”.");
    assert.ok(!(await optionNames(app)).includes("Cloud scoring, bolder"));
    await (await $id(app, "toast-action")).click();
    await app.waitUntil(async () => (await optionNames(app)).includes("Cloud scoring, bolder"), { timeout: 5000 });

    // the stream, from its tab
    await (await $id(app, "scenario-select")).selectByAttribute("value", "");
    await (await $id(app, "stream-menu")).click();
    await (await $id(app, "stream-rename")).click();
    await typeInto(app, "stream-rename-input", "Mortgages");
    await app.waitUntil(async () => (await textOf(await $id(app, "stream-tab-mortgage"))).includes("Mortgages"), { timeout: 5000 });
    await (await $id(app, "stream-menu")).click();
    await (await $id(app, "stream-delete")).click();
    await waitText(app, "toast-message", "Deleted the stream “Mortgages”.");
    await (await $id(app, "toast-action")).click();
    await waitText(app, "kpi-lead-time", "117.85 h");
  } finally {
    await app.deleteSession();
  }
});
