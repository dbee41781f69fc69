// Issue 16, in the app: named versions made, compared, restored (one undo step) and deleted;
// the open model compared with a colleague's copy; their changes opened as a scenario with its
// business case; a clean copy to share. The expectations come from the CLI on the same files
// (`tributary diff`, `metrics`, `export`) and from hand calculation on the example: its stages
// run one after another around a scoring/valuation fork, so a wait taken off Documents & KYC
// or Underwriting comes off the lead time hour for hour (117.85 h).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { sandbox, teardown, $id, textOf, waitText, typeInto, selectStage, screenshot, cliMetrics, CLI } from "../harness.js";

let box;
before(async () => {
  box = await sandbox("share");
});
after(async () => {
  await box?.stop();
  teardown();
});


/** The app's working copy of the example (in its data folder), as the CLI reads it. */
function workingCopy() {
  const found = readdirSync(box.env.XDG_DATA_HOME, { recursive: true }).find((p) => p.endsWith("Mortgage decision (example).tributary"));
  assert.ok(found, "the example's working copy is in the app's data folder");
  return join(box.env.XDG_DATA_HOME, found);
}

/** The open example with one stage's wait changed, as a colleague's copy in JSON (with the
 * example's telemetry mapping, so that the stage is their only difference). */
function colleagueCopy(stage, wait) {
  const m = JSON.parse(cli(["export", workingCopy()]).stdout);
  m.streams[0].stages.find((s) => s.id === stage).wait_time = wait;
  const path = join(box.dir, `colleague-${stage}.json`);
  writeFileSync(path, JSON.stringify(m));
  return path;
}

function cli(args) {
  const r = spawnSync(CLI, args, { encoding: "utf8" });
  return { ...r, json: () => JSON.parse(r.stdout) };
}

async function fileMenu(app, item) {
  await (await $id(app, "file-menu")).click();
  await (await $id(app, item)).click();
}

const listText = async (app, id) => app.execute((i) => [...document.querySelectorAll(`[data-testid="${i}"] li`)].map((l) => l.textContent.trim()), id);

test("versions: kept, compared with now, restored as one undo step, deleted", async () => {
  const app = await box.launch(["--example"]);
  try {
    await waitText(app, "model-name", "Retail bank: mortgage decision", 30000);
    await waitText(app, "kpi-lead-time", "117.85 h");
    await fileMenu(app, "menu-versions");
    await (await $id(app, "versions-none")).waitForDisplayed({ timeout: 5000 });
    await typeInto(app, "version-name", "Before the workshop");
    await app.waitUntil(async () => (await app.$$('[data-testid="version"]')).length === 1, { timeout: 5000, timeoutMsg: "the version is listed" });
    assert.match(await textOf(await $id(app, "version")), /Before the workshop.*\d{4}.*UTC/);
    // the same name twice is said at the field
    await typeInto(app, "version-name", "Before the workshop");
    await app.waitUntil(async () => /exists already/.test(await textOf(await app.$(".field.invalid .error"))), { timeout: 5000 });
    assert.doesNotMatch(await textOf(await app.$(".field.invalid .error")), /\//, "in the user's words: no file path");
    await app.keys("Escape");

    // 12 h off Documents & KYC's 24 h of wait: 117.85 - 12 = 105.85 h
    await selectStage(app, "Documents & KYC");
    await typeInto(app, "stage-wait-time", "12");
    await waitText(app, "kpi-lead-time", "105.85 h");

    await fileMenu(app, "menu-versions");
    await (await $id(app, "version-compare")).click();
    await (await $id(app, "diff-dialog")).waitForDisplayed({ timeout: 5000 });
    const want = cli(["diff", colleagueCopy("kyc", 24), workingCopy(), "--json"]).json();
    assert.deepEqual(await listText(app, "diff-items"), want.items.map((i) => `${{ added: "+", removed: "−", changed: "~" }[i.status]}${i.text}`));
    assert.deepEqual(await listText(app, "diff-effect"), want.impact.streams.map((s) => s.text));
    assert.match(want.impact.streams[0].text, /lead time 117.85 h -> 105.85 h/);
    await screenshot(app, "share-version-diff");
    await (await $id(app, "diff-close")).click();

    // restore: the numbers of the version; undo: the edit again
    await fileMenu(app, "menu-versions");
    await (await $id(app, "version-restore")).click();
    await waitText(app, "kpi-lead-time", "117.85 h");
    await waitText(app, "toast-message", "Restored the version “Before the workshop”.");
    await (await $id(app, "toast-action")).click();
    await waitText(app, "kpi-lead-time", "105.85 h");

    // then it is deleted, after a word
    await fileMenu(app, "menu-versions");
    await (await $id(app, "version-delete")).click();
    await (await $id(app, "version-delete-confirm")).click();
    await (await $id(app, "versions-none")).waitForDisplayed({ timeout: 5000 });
    await app.keys("Escape");
  } finally {
    await app.deleteSession();
  }
});

test("a colleague's copy: compared, then opened as a scenario with its business case", async () => {
  const app = await box.launch(["--example"]);
  try {
    await waitText(app, "model-name", "Retail bank: mortgage decision", 30000);
    // the first test left Documents & KYC at 12 h; put it back so the open model is the example
    await selectStage(app, "Documents & KYC");
    await typeInto(app, "stage-wait-time", "24");
    await waitText(app, "kpi-lead-time", "117.85 h");

    const theirs = colleagueCopy("underwriting", 6);
    box.answerDialog(`open ${theirs}`);
    await fileMenu(app, "menu-compare-file");
    await (await $id(app, "diff-dialog")).waitForDisplayed({ timeout: 10000 });
    const want = cli(["diff", workingCopy(), theirs, "--json"]).json();
    assert.deepEqual(await listText(app, "diff-items"), ["~stage Underwriting decision: wait 16 h -> 6 h"]);
    assert.deepEqual(await listText(app, "diff-effect"), want.impact.streams.map((s) => s.text));
    assert.match(await textOf(await $id(app, "diff-dialog")), /colleague-underwriting\.json/);
    assert.doesNotMatch(await textOf(await $id(app, "diff-dialog")), new RegExp(box.dir), "no folder is shown");
    await (await $id(app, "diff-close")).click();

    // as a scenario: the baseline stays, the scenario has their lead time (117.85 - 10 h)
    box.answerDialog(`open ${theirs}`);
    await fileMenu(app, "menu-proposal");
    await waitText(app, "toast-message", "Opened their changes as the scenario “Proposal from colleague-underwriting.json” (1 change).", 10000);
    const lead = cliMetrics(theirs).streams[0].lead_time;
    assert.equal(lead, 107.85);
    await waitText(app, "kpi-lead-time", "107.85 h");
    await app.waitUntil(async () => (await (await $id(app, "scenario-select")).getValue()) !== "", { timeout: 5000 });
    await screenshot(app, "share-proposal");
    // one undo step takes it away again
    await (await $id(app, "undo")).click();
    await waitText(app, "kpi-lead-time", "117.85 h");
  } finally {
    await app.deleteSession();
  }
});

test("a copy to share holds the model without its undo history", async () => {
  const app = await box.launch(["--example"]);
  try {
    await waitText(app, "model-name", "Retail bank: mortgage decision", 30000);
    const out = join(box.dir, "to-send.tributary");
    box.answerDialog(`save ${out}`);
    await fileMenu(app, "menu-share");
    await (await $id(app, "share-write")).click();
    await (await $id(app, "share-report")).waitForDisplayed({ timeout: 10000 });
    assert.match(await textOf(await $id(app, "share-report")), /Written: to-send\.tributary/);
    const left = await listText(app, "share-left-out");
    assert.ok(left.some((l) => /^the undo history \(\d+ steps?\)$/.test(l)), left.join(" | "));
    // unless chosen, the example's imported history stays home; its size reads grouped
    assert.ok(left.some((l) => /^the imported telemetry \(\d{1,3}(,\d{3})+ rows\)$/.test(l)), left.join(" | "));
    await screenshot(app, "share-copy");
    await (await $id(app, "share-done")).click();

    // the copy is the open model (the CLI's diff: exit code 0, equal), and its history table,
    // which holds the undo steps, is empty
    const same = cli(["diff", workingCopy(), out]);
    assert.equal(same.status, 0, same.stdout + same.stderr);
    const rows = spawnSync("python3", ["-c", "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT count(*) FROM history').fetchone()[0])", out], { encoding: "utf8" });
    assert.equal(rows.stdout.trim(), "0", rows.stderr);
  } finally {
    await app.deleteSession();
  }
});

/** Saves, in the model file `file`, stage `id` with its wait changed: a colleague's edit. */
function editWait(file, id, wait) {
  const stage = JSON.parse(cli(["export", file]).stdout).streams[0].stages.find((s) => s.id === id);
  const r = cli(["edit", file, JSON.stringify({ type: "update_stage", stream: "mortgage", stage: { ...stage, wait_time: wait } })]);
  assert.equal(r.status, 0, r.stderr);
}

test("a colleague's edits merged back: theirs combined with ours, the one conflict settled", async () => {
  const app = await box.launch(["--example"]);
  try {
    await waitText(app, "model-name", "Retail bank: mortgage decision", 30000);
    await waitText(app, "kpi-lead-time", "117.85 h");
    // a version kept, and a copy sent: the version is the common base the merge finds
    await fileMenu(app, "menu-versions");
    await typeInto(app, "version-name", "Sent to Ana");
    await app.waitUntil(async () => (await app.$$('[data-testid="version"]')).length === 1, { timeout: 5000 });
    await app.keys("Escape");
    const ana = join(box.dir, "ana.tributary");
    box.answerDialog(`save ${ana}`);
    await fileMenu(app, "menu-share");
    await (await $id(app, "share-write")).click();
    await (await $id(app, "share-report")).waitForDisplayed({ timeout: 10000 });
    await (await $id(app, "share-done")).click();

    // Ana takes 4 h off Offer & e-signature's 8 h of wait and sets Underwriting's to 10 h; we set
    // Underwriting's to 12 h meanwhile: 117.85 - 4 = 113.85 h
    editWait(ana, "offer", 4);
    editWait(ana, "underwriting", 10);
    await selectStage(app, "Underwriting decision");
    await typeInto(app, "stage-wait-time", "12");
    await waitText(app, "kpi-lead-time", "113.85 h");

    box.answerDialog(`open ${ana}`);
    await fileMenu(app, "menu-merge");
    await (await $id(app, "merge-dialog")).waitForDisplayed({ timeout: 10000 });
    assert.match(await textOf(await $id(app, "merge-dialog")), /Merged changes from ana\.tributary.*Common base: version "Sent to Ana"/s);
    assert.deepEqual(await listText(app, "diff-items"), ["~stage Offer & e-signature: wait 8 h -> 4 h"]);
    // theirs combined with ours, ours kept for the conflict: 113.85 - 4 = 109.85 h
    await waitText(app, "kpi-lead-time", "109.85 h");
    await waitText(app, "conflict-count", "Conflict 1 of 1");
    const text = await textOf(await $id(app, "conflict-text"));
    assert.match(text, /Underwriting decision/);
    assert.match(text, /12/);
    assert.match(text, /10/);
    await screenshot(app, "share-merge-conflict");
    // theirs: Underwriting at 10 h, 2 h less again
    await (await $id(app, "conflict-theirs")).click();
    await waitText(app, "merge-settled", "Every conflict is settled.");
    await waitText(app, "kpi-lead-time", "107.85 h");
    await (await $id(app, "merge-close")).click();
    // nothing is left to resolve, and taking theirs is one undo step
    await fileMenu(app, "menu-conflicts");
    await waitText(app, "merge-settled", "No merge conflict is waiting to be resolved.");
    await app.keys("Escape");
    await (await $id(app, "undo")).click();
    await waitText(app, "kpi-lead-time", "109.85 h");
  } finally {
    await app.deleteSession();
  }
});
