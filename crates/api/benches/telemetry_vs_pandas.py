#!/usr/bin/env python3
"""Issue 19's telemetry floors, measured side by side in one run on the same files:

1. importing 1,000,000 events (100,000 items) into a model file, `tributary telemetry import` as
   a whole process, against pandas reading and parsing the same CSV (`read_csv` + `to_datetime`);
2. `tributary flow` over those 100,000 items as a whole process (open the file, load the log,
   compute every figure), against pandas reading the CSV and computing flow-time percentiles.

The data is the seeded synthetic log of `cargo run -p tributary-telemetry --example generate`
(100,000 items, about 60 a day), cut to its first 1,000,000 events as the criterion benchmark
does. Needs release builds (`cargo build --release -p tributary-cli --bin tributary` and
`cargo build --release -p tributary-telemetry --example generate`) and pandas (`pip install pandas`). Prints the medians of RUNS runs and the
ratios; figures go in docs/performance/telemetry.md.

    python3 crates/api/benches/telemetry_vs_pandas.py [--runs 3]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[3]
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target")) / "release"
EVENTS = 1_000_000


def timed(f, runs):
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        f()
        out.append(time.perf_counter() - t)
    return statistics.median(out)


def run(*args):
    subprocess.run([str(a) for a in args], check=True, stdout=subprocess.DEVNULL)


def pandas_read(csv):
    df = pd.read_csv(csv)
    df["timestamp"] = pd.to_datetime(df["timestamp"], utc=True, format="ISO8601")
    return df


def pandas_flow(csv, states):
    """Flow time: from an item's first committed (active or waiting) status to its last entry
    into done, for items done; percentiles in days (REFERENCE.md section 6, without the window)."""
    df = pandas_read(csv)
    state = df["to_state"].map(states)
    committed = df[state.isin(["active", "waiting"])].groupby("item_id")["timestamp"].min()
    done = df[state == "done"].groupby("item_id")["timestamp"].max()
    both = pd.concat([committed, done], axis=1, keys=["start", "end"], join="inner")
    days = (both["end"] - both["start"]).dt.total_seconds() / 86400
    return days[days >= 0].quantile([0.5, 0.7, 0.85, 0.95])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    runs = ap.parse_args().runs
    bin_ = TARGET / "tributary"
    gen = TARGET / "examples" / "generate"
    for b in (bin_, gen):
        if not b.exists():
            sys.exit(f"{b} is missing: cargo build --release -p tributary-cli --bin tributary && cargo build --release -p tributary-telemetry --example generate")
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        run(gen, "--out", d / "gen", "--items", 100_000, "--days", 1960, "--seed", 1)
        csv = d / "events.csv"
        with open(d / "gen" / "events.csv") as src, open(csv, "w") as dst:
            for n, line in enumerate(src):
                if n > EVENTS:
                    break
                dst.write(line)
        mapping = d / "gen" / "map.toml"
        states = tomllib.loads(mapping.read_text())["states"]
        model = d / "m.json"
        model.write_text(json.dumps({"format": "tributary/1", "name": "bench",
                                     "streams": [{"id": "s", "name": "S", "stages": []}]}))
        k = [0]

        def tributary_import():
            k[0] += 1
            f = d / f"m{k[0]}.tributary"
            run(bin_, "import", model, "-o", f)
            t = time.perf_counter()
            run(bin_, "telemetry", "import", f, "--stream", "s", "--format", "events-csv", csv, "--map", mapping)
            return time.perf_counter() - t

        imports = statistics.median(tributary_import() for _ in range(runs))
        reads = timed(lambda: pandas_read(csv), runs)
        last = d / f"m{k[0]}.tributary"
        flows = timed(lambda: run(bin_, "flow", last, "--stream", "s", "--json"), runs)
        pflows = timed(lambda: pandas_flow(csv, states), runs)
        print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}; pandas {pd.__version__}; median of {runs}")
        print(f"import 1M events:  tributary {imports:.2f} s, pandas read_csv + to_datetime {reads:.2f} s: ratio {reads / imports:.2f}x (floor: > 1)")
        print(f"flow, 100k items:  tributary {flows:.2f} s, pandas read + percentiles {pflows:.2f} s: ratio {pflows / flows:.2f}x (floor: >= 5)")
        print("pandas flow-time percentiles (days):", [round(v, 2) for v in pandas_flow(csv, states)])


if __name__ == "__main__":
    main()
