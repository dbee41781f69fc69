#!/usr/bin/env python3
"""Tributary against SimPy on the benchmark workload, on this machine: the ratio of times.

Runs the same model (`workload.json`) with the same rules in both, one after the other,
several times: tributary-sim through `examples/workload.rs` (one run, one thread, no
warm-up) and the SimPy model of `simpy_compare.py`. Each run is a process of its own, timed
from outside (CPU time of the child, from getrusage, and wall time) and from inside (the
simulation alone). Prints the medians and their ratios, and the lead-time figures of both
side by side with their standard errors over the rounds (each round has its own seed), so
that one can see that the two simulate the same thing.

    pip install simpy
    cargo build --release -p tributary-sim --example workload
    python3 crates/sim/benches/compare.py                   # 5 rounds of 100,000 items
    python3 crates/sim/benches/compare.py --rounds 3 --items 20000
"""

import argparse
import json
import math
import os
import platform
import resource
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))


def timed(cmd):
    """Runs `cmd`; returns its JSON line, the child's CPU seconds and the wall seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return json.loads(out.strip().splitlines()[-1]), cpu, wall


def spread(values):
    """Mean and standard error of independent values (None with one value)."""
    m = statistics.fmean(values)
    se = statistics.stdev(values) / math.sqrt(len(values)) if len(values) > 1 else None
    return m, se


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--items", type=int, default=100_000)
    ap.add_argument("--model", default=os.path.join(HERE, "workload.json"))
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    ap.add_argument("--tributary", default=os.path.join(target, "release", "examples", "workload"),
                    help="the built example (cargo build --release -p tributary-sim --example workload)")
    args = ap.parse_args()
    if not os.path.exists(args.tributary):
        sys.exit(f"{args.tributary} is missing: cargo build --release -p tributary-sim --example workload")

    runs = {"tributary": [], "simpy": []}
    for r in range(args.rounds):
        seed = str(r + 1)
        common = ["--items", str(args.items), "--seed", seed, "--model", args.model]
        # alternately, so that both see the same load on the machine
        runs["tributary"].append(timed([args.tributary, "--runs", "1", "--threads", "1",
                                        "--warmup", "0", *common]))
        runs["simpy"].append(timed([sys.executable, os.path.join(HERE, "simpy_compare.py"),
                                    "--json", *common]))
        t, s = runs["tributary"][-1], runs["simpy"][-1]
        print(f"round {r + 1}: tributary {t[1]:.3f} s CPU, {t[2]:.3f} s wall; "
              f"SimPy {s[1]:.2f} s CPU, {s[2]:.2f} s wall", flush=True)

    med = {k: {"cpu": statistics.median(c for _, c, _ in v),
               "wall": statistics.median(w for _, _, w in v),
               "inside": statistics.median(o["seconds"] for o, _, _ in v)} for k, v in runs.items()}
    simpy_version = runs["simpy"][0][0]["version"]
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    print()
    print(f"machine: {cpu}, {os.cpu_count()} cores, "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {simpy_version}")
    print(f"{args.rounds} rounds of {args.items:,} items, medians:")
    print(f"  {'':12} {'CPU s':>9} {'wall s':>9} {'simulation alone, wall s':>26}")
    for k in ("tributary", "simpy"):
        print(f"  {k:12} {med[k]['cpu']:9.3f} {med[k]['wall']:9.3f} {med[k]['inside']:26.3f}")
    for what in ("cpu", "wall", "inside"):
        print(f"  SimPy / Tributary, {what}: {med['simpy'][what] / med['tributary'][what]:.1f}x")

    print("\nlead time (h), mean over rounds ± standard error:")
    print(f"  {'':6} {'tributary':>16} {'SimPy':>16} {'difference / SE':>16}")
    worst = 0.0
    for f in ("mean", "p50", "p85", "p95"):
        (a, sa), (b, sb) = (spread([o[f] for o, _, _ in runs[k]]) for k in ("tributary", "simpy"))
        z = (a - b) / math.hypot(sa, sb) if sa and sb else float("nan")
        worst = max(worst, abs(z))
        fmt = lambda m, se: f"{m:.2f} ± {se:.2f}" if se else f"{m:.2f}"
        print(f"  {f:6} {fmt(a, sa):>16} {fmt(b, sb):>16} {z:16.2f}")
    if args.rounds > 1:
        verdict = "agree" if worst <= 4 else "DISAGREE"
        print(f"  the two {verdict} within 4 standard errors (largest difference {worst:.2f} SE)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
