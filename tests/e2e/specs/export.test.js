// Export from the app: the report's pages previewed, then the PDF and the workbook written
// where the (scripted) native dialog says.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { sandbox, teardown, $id, textOf, waitText, screenshot } from "../harness.js";

let box;
before(async () => {
  box = await sandbox("export");
});
after(async () => {
  await box?.stop();
  teardown();
});

test("preview the board report, export it and the workbook", async () => {
  const app = await box.launch(["--example"]);
  try {
    await waitText(app, "model-name", "Retail bank: mortgage decision", 30000);
    await (await $id(app, "file-menu")).click();
    await (await $id(app, "menu-export")).click();
    await (await $id(app, "export-dialog")).waitForExist({ timeout: 5000 });

    // The preview is a real page of the typeset report.
    const img = await $id(app, "export-preview-image");
    await img.waitForExist({ timeout: 30000 });
    const page = await textOf(await $id(app, "export-page"));
    const pages = Number(page.match(/of (\d+)/)[1]);
    assert.ok(pages >= 5, `the report has its sections (${page})`);
    assert.ok((await img.getAttribute("src")).startsWith("data:image/png;base64,"));
    await app.keys("Tab");
    await screenshot(app, "app-export");

    const pdf = join(box.dir, "board.pdf");
    box.answerDialog(`save ${pdf}`);
    await (await $id(app, "export-go")).click();
    await app.waitUntil(() => existsSync(pdf), { timeout: 30000, timeoutMsg: "no PDF written" });
    const bytes = readFileSync(pdf);
    assert.equal(bytes.subarray(0, 5).toString(), "%PDF-");
    assert.match(await textOf(await $id(app, "toast-message")), /Exported to .*board\.pdf/);

    // The workbook, through the same dialog.
    await (await $id(app, "file-menu")).click();
    await (await $id(app, "menu-export")).click();
    await (await $id(app, "export-xlsx")).click();
    const xlsx = join(box.dir, "model.xlsx");
    box.answerDialog(`save ${xlsx}`);
    await (await $id(app, "export-go")).click();
    await app.waitUntil(() => existsSync(xlsx), { timeout: 30000, timeoutMsg: "no workbook written" });
    assert.equal(readFileSync(xlsx).subarray(0, 2).toString(), "PK", "an xlsx is a zip");
  } finally {
    await app.deleteSession();
  }
});
