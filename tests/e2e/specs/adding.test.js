// Issue 14, item 6: a new stage appears where the user looks, selected, and the view follows
// without jumping. On the example (six stages), three stages added with + Stage and `N`: each is
// selected (its inspector open), lies inside the visible canvas, and no two stages overlap.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { sandbox, teardown, $id, waitText } from "../harness.js";

let box;
before(async () => {
  box = await sandbox("adding");
});
after(async () => {
  await box?.stop();
  teardown();
});

/** Runs in the page: the selected stage's box against the canvas's, and whether stages overlap. */
const PLACE = () => {
  const pane = document.querySelector(".react-flow").getBoundingClientRect();
  const nodes = [...document.querySelectorAll(".react-flow__node")].map((n) => ({ sel: n.classList.contains("selected"), id: n.getAttribute("data-id"), r: n.getBoundingClientRect() }));
  const sel = nodes.filter((n) => n.sel);
  const inside = sel.length === 1 && sel[0].r.left >= pane.left - 1 && sel[0].r.right <= pane.right + 1 && sel[0].r.top >= pane.top - 1 && sel[0].r.bottom <= pane.bottom + 1;
  let overlaps = 0;
  for (let i = 0; i < nodes.length; i++)
    for (let j = i + 1; j < nodes.length; j++) {
      const a = nodes[i].r;
      const b = nodes[j].r;
      if (a.left < b.right - 2 && b.left < a.right - 2 && a.top < b.bottom - 2 && b.top < a.bottom - 2) overlaps++;
    }
  return { selected: sel.length, id: sel[0]?.id, inside, overlaps };
};

test("new stages land in view, selected, without overlapping", async () => {
  const app = await box.launch(["--example"]);
  try {
    await waitText(app, "model-name", "Retail bank: mortgage decision", 30000);
    const seen = new Set();
    for (let i = 0; i < 3; i++) {
      if (i === 0) await (await $id(app, "add-stage")).click();
      else {
        await (await $id(app, "canvas")).click();
        await app.keys("n");
      }
      await (await $id(app, "stage-inspector")).waitForExist({ timeout: 5000 });
      await app.pause(600);
      const p = await app.execute(PLACE);
      assert.ok(p.id && !seen.has(p.id), `a new stage is selected each time (${p.id})`);
      seen.add(p.id);
      assert.equal(p.selected, 1, `the new stage ${7 + i} is selected`);
      assert.ok(p.inside, `the new stage ${7 + i} is in view`);
      assert.equal(p.overlaps, 0, `no stages on top of each other after adding stage ${7 + i}`);
    }
  } finally {
    await app.deleteSession();
  }
});
