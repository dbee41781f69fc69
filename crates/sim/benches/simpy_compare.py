#!/usr/bin/env python3
"""The benchmark workload of `benches/sim.rs` as a plain SimPy model, to compare speed.

A comparison, not a dependency: nothing in Tributary runs this. It reads the same
tributary/1 model (`workload.json` beside it) and simulates it with the same rules as
`tributary-sim` (see docs/simulation.md): Poisson arrivals; per stage a wait delay, then a
FIFO queue for `capacity` servers, then the process time; %C&A decides pass or fail; a
failed item redoes its own stage (wait and work), or goes back to its `rework_to` stage and
repeats the stages from there; a stage with a WIP limit holds at most that many items
(waiting, queued, in work or blocked), and an item finished upstream keeps its server until
there is room (blocking after service). In the workload, WIP limits sit only on stages
outside rework loops, so that the two implementations need not agree on how returned work
counts against a limit.

    pip install simpy
    python3 crates/sim/benches/simpy_compare.py                 # 100,000 items, seed 1
    python3 crates/sim/benches/simpy_compare.py --items 20000
    python3 crates/sim/benches/simpy_compare.py --write-workload crates/sim/benches/workload.json

Prints the wall time and the lead-time percentiles (type 7, like tributary-sim), which should
agree with `tributary simulate crates/sim/benches/workload.json --items 100000 --runs 1
--warmup 0` within sampling noise (the random numbers differ). `compare.py` beside it runs
this and tributary-sim in turn and prints the ratio of their times.
"""

import argparse
import json
import math
import os
import random
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
Z90 = 1.2815515655446004  # Phi^-1(0.9)


def make_workload():
    """20 stages in a line, demand 200 items a week (5 an hour), capacities 1-3, random
    times, %C&A 95-99 %, two rework loops sent back three stages, WIP limits on three stages.
    Process times are set so that each stage is loaded at 70-85 %, rework included."""
    n, lam = 20, 5.0
    pca = [0.95 + 0.01 * ((k * 7) % 5) for k in range(n)]
    rework = {5: 2, 12: 9}  # stage index -> stage index it sends failed items back to
    wip_limits = {15: 28, 17: 18, 19: 28}  # binding now and then: an item stays 2-4 h
    # expected passes per stage (docs/simulation.md): V_x = (1 + sum (1 - p_i) V_i) / p_x
    visits = [0.0] * n
    for x in reversed(range(n)):
        s = 1.0
        for i, r in rework.items():
            if i != x and r <= x <= i:
                s += (1 - pca[i]) * visits[i]
        visits[x] = s / pca[x]
    stages = []
    for k in range(n):
        cap = 1 + k % 3
        rho = 0.70 + 0.15 * ((k * 3) % 5) / 4
        mean = round(rho * cap / (lam * visits[k]), 4)
        wait = 1.0 + k % 4
        if k % 2 == 0:  # log-normal with p90 = 2 x median: mean = median e^(sigma^2 / 2)
            sigma = math.log(2.0) / Z90
            median = round(mean / math.exp(sigma * sigma / 2), 4)
            process = {"type": "lognormal", "median": median, "p90": round(2 * median, 4)}
        else:
            process = {"type": "triangular", "min": round(mean / 2, 4), "mode": mean,
                       "max": round(1.5 * mean, 4)}
        unc = {"process": process,
               "wait": {"type": "triangular", "min": 0, "mode": wait, "max": 2 * wait}}
        if k in wip_limits:
            unc["wip_limit"] = wip_limits[k]
        if k in rework:
            unc["rework_to"] = f"stage-{rework[k]}"
        stages.append({"id": f"stage-{k}", "name": f"Stage {k}", "process_time": mean,
                       "wait_time": wait, "pca": round(pca[k], 2), "capacity": cap,
                       "uncertainty": unc})
    return {"format": "tributary/1", "name": "Simulation benchmark: 20 stages",
            "time_unit": "hours",
            "streams": [{"id": "bench", "name": "Benchmark stream", "demand_per_week": 200,
                         "cost_of_delay_per_week": 1000, "stages": stages,
                         "arrivals": "poisson"}]}


def sampler(rng, dist):
    t = dist["type"]
    if t == "fixed":
        return lambda: dist["value"]
    if t == "uniform":
        return lambda: rng.uniform(dist["min"], dist["max"])
    if t == "triangular":
        return lambda: rng.triangular(dist["min"], dist["max"], dist["mode"])
    if t == "lognormal":
        mu, sigma = math.log(dist["median"]), math.log(dist["p90"] / dist["median"]) / Z90
        return lambda: rng.lognormvariate(mu, sigma)
    if t == "empirical":
        return lambda: rng.choice(dist["values"])
    raise ValueError(t)


def percentile(sorted_values, q):
    h = (len(sorted_values) - 1) * q
    lo = math.floor(h)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (h - lo) * (sorted_values[hi] - sorted_values[lo])


def run(model, items, seed):
    import simpy

    stream = model["streams"][0]
    hours_per_week = 40.0
    lam = stream["demand_per_week"] / hours_per_week
    rng = random.Random(seed)
    stages = stream["stages"]
    ids = [s["id"] for s in stages]
    n = len(stages)
    env = simpy.Environment()
    servers = [simpy.Resource(env, capacity=int(s.get("capacity") or 10**9)) for s in stages]
    unc = [s.get("uncertainty") or {} for s in stages]
    limits = [simpy.Resource(env, capacity=u["wip_limit"]) if "wip_limit" in u else None
              for u in unc]
    proc = [sampler(rng, u["process"]) if "process" in u else (lambda v=s["process_time"]: v)
            for s, u in zip(stages, unc)]
    wait = [sampler(rng, u["wait"]) if "wait" in u else (lambda v=s["wait_time"]: v)
            for s, u in zip(stages, unc)]
    back = [ids.index(u["rework_to"]) if "rework_to" in u else k for k, u in enumerate(unc)]
    pca = [s.get("pca", 1.0) for s in stages]
    leads = []

    def item(env):
        start = env.now
        k = 0
        slot = None
        if limits[0] is not None:
            slot = limits[0].request()
            yield slot
        while k < n:
            yield env.timeout(wait[k]())
            req = servers[k].request()
            yield req
            yield env.timeout(proc[k]())
            if pca[k] < 1.0 and rng.random() >= pca[k]:
                servers[k].release(req)
                if back[k] != k:  # back to an earlier stage, outside any WIP limit here
                    if slot is not None:
                        limits[k].release(slot)
                        slot = None
                    k = back[k]
                continue
            nxt = None
            if k + 1 < n and limits[k + 1] is not None:
                nxt = limits[k + 1].request()
                yield nxt  # blocking after service: the server is held meanwhile
            servers[k].release(req)
            if slot is not None:
                limits[k].release(slot)
            slot = nxt
            k += 1
        leads.append(env.now - start)

    def arrivals(env):
        for _ in range(items):
            env.process(item(env))
            yield env.timeout(rng.expovariate(lam))

    env.process(arrivals(env))
    env.run()
    return sorted(leads)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--items", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--model", default=os.path.join(HERE, "workload.json"))
    ap.add_argument("--write-workload", metavar="PATH")
    ap.add_argument("--json", action="store_true",
                    help="print one line of JSON (for compare.py)")
    args = ap.parse_args()
    if args.write_workload:
        with open(args.write_workload, "w") as f:
            json.dump(make_workload(), f, indent=2)
            f.write("\n")
        return 0
    with open(args.model) as f:
        model = json.load(f)
    t0, c0 = time.perf_counter(), time.process_time()
    leads = run(model, args.items, args.seed)
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    if args.json:
        print(json.dumps({"items": len(leads), "mean": statistics.fmean(leads),
                          "p50": percentile(leads, .5), "p85": percentile(leads, .85),
                          "p95": percentile(leads, .95), "seconds": elapsed, "cpu": cpu,
                          "version": f"SimPy {sys.modules['simpy'].__version__}, "
                                     f"Python {sys.version.split()[0]}"}))
        return 0
    print(f"SimPy {sys.modules['simpy'].__version__}, Python {sys.version.split()[0]}: "
          f"{len(leads)} items through {len(model['streams'][0]['stages'])} stages "
          f"in {elapsed:.2f} s")
    print(f"lead time h: mean {statistics.fmean(leads):.2f}  p50 {percentile(leads, .5):.2f}  "
          f"p85 {percentile(leads, .85):.2f}  p95 {percentile(leads, .95):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
