// Writes the Simulate view's test fixtures from the real engine (the `tributary` CLI), so that no
// test holds a hand-written engine number. Run from the repository root after building the CLI:
//
//   cargo build -p tributary-cli && node ui/src/components/simulate/make-fixtures.mjs
//
// - fixture-baseline.json: `tributary simulate mortgage.json --json` (a Simulation).
// - fixture-comparison.json: the same with `--scenario future` (a SimComparison).
// - fixture-refusal.txt: what the simulator says when the future state leaves Credit scoring
//   one analyst (a copy of the example whose scenario sets its capacity to 1): its queue would
//   grow without bound, so the run is refused.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../../../..");
const cli = process.env.TRIBUTARY_CLI ?? join(root, "target/debug/tributary");
const example = join(root, "assets/examples/mortgage.json");
const ARGS = ["--items", "2000", "--runs", "4", "--seed", "7"];

function simulate(file, extra) {
  const r = spawnSync(cli, ["simulate", file, ...extra, ...ARGS], { encoding: "utf8" });
  return r;
}

const base = simulate(example, ["--json"]);
if (base.status !== 0) throw new Error(base.stderr);
writeFileSync(join(here, "fixture-baseline.json"), base.stdout);

const cmp = simulate(example, ["--scenario", "future", "--json"]);
if (cmp.status !== 0) throw new Error(cmp.stderr);
writeFileSync(join(here, "fixture-comparison.json"), cmp.stdout);

const model = JSON.parse(readFileSync(example, "utf8"));
model.scenarios.find((s) => s.id === "future").changes.push({ kind: "set_stage", stream: "mortgage", stage: "scoring", capacity: 1 });
const dir = mkdtempSync(join(tmpdir(), "tributary-sim-fixture-"));
const file = join(dir, "mortgage-one-scorer.json");
writeFileSync(file, JSON.stringify(model, null, 2));
const refused = simulate(file, ["--scenario", "future"]);
if (refused.status === 0) throw new Error("one analyst at Credit scoring should overload it");
writeFileSync(join(here, "fixture-refusal.txt"), refused.stderr.replace(/^error: [^:]*: /, "").trim() + "\n");
console.log("fixtures written to", here);
