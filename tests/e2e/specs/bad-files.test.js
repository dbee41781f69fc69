// Opening a bad file shows a clear message and keeps the model the user had.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { readFileSync, writeFileSync } from "node:fs";
import { sandbox, teardown, $id, textOf, waitText } from "../harness.js";

let box;
before(async () => {
  box = await sandbox("badfiles");
});
after(async () => {
  await box?.stop();
  teardown();
});

async function openThroughMenu(app, path) {
  box.answerDialog(`open ${path}`);
  await (await $id(app, "file-menu")).click();
  await (await $id(app, "menu-open")).click();
  const toast = await $id(app, "toast-message");
  await toast.waitForExist({ timeout: 10000 });
  const text = await textOf(toast);
  await (await app.$("[data-testid='toast'] button")).click();
  return text;
}

test("a corrupt file, a foreign file and an invalid model each get a clear message", async () => {
  const app = await box.launch();
  try {
    await waitText(app, "model-name", "Retail bank: mortgage decision", 30000);
    const lead = await textOf(await $id(app, "kpi-lead-time"));

    // Random bytes named like a model file.
    const noise = join(box.dir, "broken.tributary");
    const bytes = Buffer.alloc(8192);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2654435761) >>> 13;
    writeFileSync(noise, bytes);
    let msg = await openThroughMenu(app, noise);
    // the file's name as the user sees it, never its folder (item 3: no paths in the app)
    assert.match(msg, /broken\.tributary/);
    assert.match(msg, /not a Tributary model/i);
    assert.doesNotMatch(msg, /\/tmp\//);

    // A real model file cut in half (a bad download): damaged, and left as it was.
    const src = readFileSync(join(box.dir, "data/app.tributary.desktop/examples/Mortgage decision (example).tributary"));
    const cut = join(box.dir, "cut.tributary");
    writeFileSync(cut, src.subarray(0, Math.floor(src.length / 2)));
    msg = await openThroughMenu(app, cut);
    assert.match(msg, /cut\.tributary/);
    assert.match(msg, /damaged|not a Tributary model/);
    assert.equal(readFileSync(cut).length, Math.floor(src.length / 2));

    // A JSON model with a negative time: the place and the problem are named.
    const json = join(box.dir, "bad.json");
    writeFileSync(
      json,
      JSON.stringify({
        format: "tributary/1",
        name: "Bad",
        streams: [{ id: "s", name: "S", stages: [{ id: "a", name: "A", process_time: -2, wait_time: 1 }] }],
      }),
    );
    msg = await openThroughMenu(app, json);
    // the stage by its name and the field in words, not the document's place (the CLI keeps that)
    assert.match(msg, /bad\.json/);
    assert.match(msg, /cannot be negative/);
    assert.doesNotMatch(msg, /streams\[|\/tmp\//);

    // Through all of it, the model the user had stays open and unchanged.
    await waitText(app, "model-name", "Retail bank: mortgage decision");
    assert.equal(await textOf(await $id(app, "kpi-lead-time")), lead);
  } finally {
    await app.deleteSession();
  }
});
