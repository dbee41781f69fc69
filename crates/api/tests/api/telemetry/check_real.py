#!/usr/bin/env python3
"""Independent figures for the real exports of ../shared/external (real.rs compares with them).

Written apart from the Rust code, from docs/telemetry.md's rules, with Python's json, csv and
datetime modules only:
  * Jira JSON: creation at fields.created into the first status change's fromString; the status
    items of the histories in time order. Where that order breaks the from -> to chain and the
    order of the history ids keeps it, id order is used and a history timed before the one
    before it takes that one's time.
  * stage-dates CSV: the stage columns run from the first after ID/Link/Name to the last before
    the attribute columns (Type, components, ...); a date is 00:00 UTC; stages with the same
    date are one move, to the last of them.
  * flow time = final entry into done - first entry into a committed (waiting or active)
    state; an item whose history begins in a committed state has no known start.
  * percentiles: type 7 (numpy's default linear interpolation).
Run: python3 check_real.py  (prints one block per file)
"""
import csv
import json
import os
from datetime import datetime, timezone

ROOT = os.path.join(os.path.dirname(__file__), "../../../../../../shared/external")
DAY = 86400.0

AA_STATES = {"Backlog": "new", "Analysis Active": "active", "Analysis Done": "waiting",
             "Dev Active": "active", "Dev Done": "waiting", "Test": "active", "Done": "done"}
AWW_STATES = {"Open": "new", "In Progress": "active", "Reopened": "waiting",
              "Resolved": "done", "Closed": "done"}


def pct(values, q):
    v = sorted(values)
    h = (len(v) - 1) * q
    lo = int(h)
    if lo + 1 < len(v):
        return v[lo] + (h - lo) * (v[lo + 1] - v[lo])
    return v[lo]


def ts(text):
    text = text.strip()
    if len(text) == 10:
        return datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=timezone.utc).timestamp()
    if text[-5] in "+-" and text[-3] != ":":
        text = text[:-2] + ":" + text[-2:]
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def chains(moves):
    return all(b[1] == a[2] for a, b in zip(moves, moves[1:]))


def jira_events(issue):
    """[(time, from, to)] of one issue, and the rule used ('' when none)."""
    hs = []
    for pos, h in enumerate(issue["changelog"]["histories"]):
        for it in h["items"]:
            if it["field"].lower() == "status":
                hs.append([ts(h["created"]), int(h["id"]), pos, it["fromString"], it["toString"]])
    rule = ""
    by_time = sorted(hs, key=lambda h: (h[0], h[2]))
    order = by_time
    if not chains([(h[0], h[3], h[4]) for h in by_time]):
        by_id_in_time = sorted(hs, key=lambda h: (h[0], h[1]))
        by_id = sorted(hs, key=lambda h: h[1])
        if chains([(h[0], h[3], h[4]) for h in by_id_in_time]):
            order, rule = by_id_in_time, "id-order-within-equal-times"
        elif chains([(h[0], h[3], h[4]) for h in by_id]):
            order, rule = [list(h) for h in by_id], "id-order"
            for a, b in zip(order, order[1:]):
                b[0] = max(b[0], a[0])
    first = order[0][3] if order else issue["fields"]["status"]["name"]
    events = [(ts(issue["fields"]["created"]), "", first)]
    events += [(h[0], h[3], h[4]) for h in order]
    return events, rule


def flow_time(events, states):
    """Days from the first entry into a committed state to the final entry into done."""
    if events[0][1] and states.get(events[0][1]) != "new":
        return None
    commit = next((t for t, _, to in events if states.get(to) in ("waiting", "active")), None)
    done = None
    for t, _, to in reversed(events):
        if states.get(to) == "done":
            done = t
        else:
            break
    if done is None or commit is None or commit > done:
        return None
    return (done - commit) / DAY


def stage_dates(path):
    rows = list(csv.reader(open(path, newline="")))
    header, body = rows[0], rows[1:]
    stages = header[3:header.index("Type")]
    out = {}
    for r in body:
        dated = []
        for name, text in zip(stages, r[3:3 + len(stages)]):
            if text:
                t = ts(text)
                if dated and dated[-1][1] == t:
                    dated[-1] = (name, t)
                else:
                    dated.append((name, t))
        events, prev = [], ""
        for name, t in dated:
            events.append((t, prev, name))
            prev = name
        out[r[0]] = events
    return out


def summary(name, fts):
    done = {k: v for k, v in fts.items() if v is not None}
    vals = list(done.values())
    print(f"{name}: {len(done)} items with a flow time")
    for q in (0.5, 0.7, 0.85, 0.95):
        print(f"  p{int(q * 100)} = {pct(vals, q):.10f}")
    return done


def main():
    doc = json.load(open(os.path.join(ROOT, "jira/actionableagile-jira-to-analytics_search-with-changelog.json")))
    jira = {i["key"]: jira_events(i)[0] for i in doc["issues"]}
    fj = summary("AA jira-json", {k: flow_time(e, AA_STATES) for k, e in jira.items()})
    sd = stage_dates(os.path.join(ROOT, "stage-dates-csv/actionableagile-jira-to-analytics_sample-jira-issues-csv.csv"))
    fs = summary("AA stage-dates-csv", {k: flow_time(e, AA_STATES) for k, e in sd.items()})
    print("  events:", sum(len(e) for e in sd.values()))
    for k in sorted(set(fj) | set(fs)):
        a, b = fj.get(k), fs.get(k)
        print(f"  {k}: json {a if a is None else round(a, 6)} csv {b}")
    for n in (2, 23, 78, 88):
        issue = json.load(open(os.path.join(ROOT, f"jira/howfastyouaregoing_AWW-{n}.json")))
        events, rule = jira_events(issue)
        ft = flow_time(events, AWW_STATES)
        print(f"AWW-{n}: {len(events)} events, rule {rule or '-'}, last {events[-1][2]}, flow time {ft}")


if __name__ == "__main__":
    main()
