#!/usr/bin/env python3
"""Independent figures for the real trace exports (tests/traces/real.rs compares with them).

Written apart from the Rust code, from docs/traces.md's rules, with Python's json module:
  * spans: OTLP resourceSpans/scopeSpans/spans; Jaeger data[]/bare trace with processes;
    Zipkin flat list. Records with the same (trace, id, shared, service) merge (first value
    wins); within an id, the client (else first non-shared) record is the span, the others
    are server halves whose parent is it.
  * a child names the half of its parent id on its own service, else the span of that id;
    a parent not in the input makes a root.
  * clock skew: a child on another service lying outside its adjusted parent, not longer
    than it and neither being PRODUCER/CONSUMER, is moved to the parent's middle; the shift
    carries down the same service.
  * own time = duration - union of the children's intervals clipped to the span.
  * percentiles: type 7 (numpy's default linear interpolation).
Run: python3 check_real.py  (prints one block per file)
"""
import json
import os
import sys

ROOT = os.path.join(os.path.dirname(__file__), "../../../../../shared/external/traces")


def pct(values, q):
    v = sorted(values)
    h = (len(v) - 1) * q
    lo = int(h)
    if lo + 1 < len(v):
        return v[lo] + (h - lo) * (v[lo + 1] - v[lo])
    return v[lo]


def otlp(doc):
    out = []
    for rs in doc["resourceSpans"]:
        svc = None
        for a in rs.get("resource", {}).get("attributes", []):
            if a["key"] == "service.name":
                svc = a["value"].get("stringValue")
        for ss in rs.get("scopeSpans", []):
            for s in ss.get("spans", []):
                start, end = int(s["startTimeUnixNano"]), int(s["endTimeUnixNano"])
                out.append(dict(trace=int(s["traceId"], 16), id=int(s["spanId"], 16),
                                parent=int(s.get("parentSpanId") or "0", 16), service=svc,
                                kind={1: "INTERNAL", 2: "SERVER", 3: "CLIENT", 4: "PRODUCER",
                                      5: "CONSUMER"}.get(s.get("kind"), ""),
                                start=start, dur=end - start,
                                error=s.get("status", {}).get("code") == 2, shared=False))
    return out


def jaeger(doc):
    traces = doc["data"] if "data" in doc else [doc]
    out = []
    for t in traces:
        procs = {k: p["serviceName"] for k, p in t["processes"].items()}
        for s in t["spans"]:
            refs = [r for r in s.get("references") or [] if r["traceID"] == s["traceID"]]
            par = [r for r in refs if r["refType"] == "CHILD_OF"] or \
                  [r for r in refs if r["refType"] == "FOLLOWS_FROM"]
            tags = {x["key"]: x["value"] for x in s.get("tags", [])}
            out.append(dict(trace=int(s["traceID"], 16), id=int(s["spanID"], 16),
                            parent=int(par[0]["spanID"], 16) if par else 0,
                            service=procs[s["processID"]],
                            kind=str(tags.get("span.kind", "")).upper(),
                            start=s["startTime"] * 1000, dur=s["duration"] * 1000,
                            error=tags.get("error") in (True, "true"), shared=False))
    return out


def zipkin(doc):
    out = []
    for s in doc:
        out.append(dict(trace=int(s["traceId"], 16), id=int(s["id"], 16),
                        parent=int(s.get("parentId", "0"), 16),
                        service=(s.get("localEndpoint") or {}).get("serviceName"),
                        kind=s.get("kind", ""),
                        start=s["timestamp"] * 1000 if "timestamp" in s else None,
                        dur=s["duration"] * 1000 if "duration" in s else None,
                        error="error" in (s.get("tags") or {}), shared=bool(s.get("shared"))))
    return out


def merge(spans):
    spans = sorted(spans, key=lambda s: (s["id"], s["shared"], s["service"] is None,
                                         s["service"] or ""))
    out, merged = [], 0
    for s in spans:
        same_group = [o for o in out if o["id"] == s["id"] and o["shared"] == s["shared"]]
        target = None
        for o in same_group:
            if o["service"] == s["service"] or s["service"] is None:
                target = o
                break
        if target is None:
            out.append(dict(s))
            continue
        merged += 1
        for k in ("start", "dur"):
            if target[k] is None:
                target[k] = s[k]
        if not target["parent"]:
            target["parent"] = s["parent"]
        if not target["kind"]:
            target["kind"] = s["kind"]
        target["error"] = target["error"] or s["error"]
    return out, merged


def measure(spans):
    by_trace = {}
    for s in spans:
        by_trace.setdefault(s["trace"], []).append(s)
    res = dict(read=len(spans), merged=0, used=0, refused=0, parent_missing=0, skew=0,
               svc={}, pairs={}, per_trace={})
    for t, ss in by_trace.items():
        ss, m = merge(ss)
        res["merged"] += m
        measure_trace(ss, res)
    return res


def measure_trace(ss, res):
    ids = {}
    for i, s in enumerate(ss):
        ids.setdefault(s["id"], []).append(i)
    primary, halves = {}, {}
    for sid, group in ids.items():
        nonshared = [i for i in group if not ss[i]["shared"]]
        main = ([i for i in nonshared if ss[i]["kind"] == "CLIENT"] or nonshared or [None])[0]
        for i in group:
            if i == main:
                primary[sid] = i
            else:
                ss[i]["shared"] = True
                halves.setdefault((sid, ss[i]["service"]), i)
    parent = [None] * len(ss)
    for i, s in enumerate(ss):
        if s["shared"] and primary.get(s["id"]) not in (None, i):
            parent[i] = primary[s["id"]]
        elif s["parent"]:
            p = halves.get((s["parent"], s["service"]), primary.get(s["parent"]))
            if p is None:
                res["parent_missing"] += 1 if ok(s) else 0
            parent[i] = p
    order = [i for i in range(len(ss)) if parent[i] is None]
    k = 0
    while k < len(order):
        order += [c for c in range(len(ss)) if parent[c] == order[k]]
        k += 1
    off = [0] * len(ss)
    for c in order:
        p = parent[c]
        if p is None:
            continue
        cs, ps = ss[c], ss[p]
        if cs["service"] == ps["service"]:
            off[c] = off[p]
            continue
        if not ok(cs) or not ok(ps) or {cs["kind"], ps["kind"]} & {"PRODUCER", "CONSUMER"}:
            continue
        p0 = ps["start"] + off[p]
        if (cs["start"] >= p0 and cs["start"] + cs["dur"] <= p0 + ps["dur"]) or cs["dur"] > ps["dur"]:
            continue
        off[c] = p0 + (ps["dur"] - cs["dur"]) // 2 - cs["start"]
        res["skew"] += 1
    per_service = {}
    for i, s in enumerate(ss):
        if not ok(s):
            res["refused"] += 1
            continue
        res["used"] += 1
        a = s["start"] + off[i]
        b = a + s["dur"]
        parts = sorted((max(ss[c]["start"] + off[c], a), min(ss[c]["start"] + off[c] + ss[c]["dur"], b))
                       for c in range(len(ss)) if parent[c] == i and ok(ss[c]))
        covered, cur = 0, None
        for x, y in parts:
            if x >= y:
                continue
            if cur and x <= cur[1]:
                cur = (cur[0], max(cur[1], y))
            else:
                if cur:
                    covered += cur[1] - cur[0]
                cur = (x, y)
        if cur:
            covered += cur[1] - cur[0]
        own = s["dur"] - covered
        svc = res["svc"].setdefault(s["service"], dict(own=[], incl=[], err=0))
        svc["own"].append(own)
        svc["incl"].append(s["dur"])
        svc["err"] += s["error"]
        per_service[s["service"]] = per_service.get(s["service"], 0) + own
        p = parent[i]
        if p is not None and ss[p]["service"] != s["service"]:
            pair = res["pairs"].setdefault((ss[p]["service"], s["service"]), dict(incl=[], own=[], err=0))
            pair["incl"].append(s["dur"])
            pair["own"].append(own)
            pair["err"] += s["error"]
    for svc, total in per_service.items():
        res["per_trace"].setdefault(svc, []).append(total)


def ok(s):
    return s["start"] is not None and s["dur"] is not None and s["dur"] >= 0


def report(name, res):
    print(f"== {name}")
    print(f"read {res['read']} merged {res['merged']} used {res['used']} refused {res['refused']}"
          f" parent_missing {res['parent_missing']} skew {res['skew']}")
    for svc in sorted(res["svc"]):
        v = res["svc"][svc]
        print(f"  svc {svc} used {len(v['incl'])} err {v['err']} own_p50_ms {pct(v['own'], .5) / 1e6:.6f}"
              f" incl_p95_ms {pct(v['incl'], .95) / 1e6:.6f}"
              f" per_trace_p50_ms {pct(res['per_trace'][svc], .5) / 1e6:.6f}")
    for (f, t) in sorted(res["pairs"]):
        v = res["pairs"][(f, t)]
        print(f"  call {f} -> {t} n {len(v['incl'])} err {v['err']}"
              f" incl_p50_ms {pct(v['incl'], .5) / 1e6:.6f} incl_p99_ms {pct(v['incl'], .99) / 1e6:.6f}"
              f" own_p50_ms {pct(v['own'], .5) / 1e6:.6f}")


FILES = [
    ("otlp-json/jaeger_hotrod_n_plus_one_full_concurrent.json", otlp),
    ("otlp-json/jaeger_oteldemo_error_timeout_masked.json", otlp),
    ("jaeger-json/jaeger-ui_petclinic_spanAmongEachOtherGroupedAndSpans.json", jaeger),
    ("jaeger-json/jaeger-ui_genaiTestTrace.json", jaeger),
    ("jaeger-json/jaeger-analytics-java_ui-trace.json", jaeger),
    ("zipkin-json-v2/zipkin-lens_smartthings-mobile-web-install.json", zipkin),
    ("zipkin-json-v2/zipkin-lens_messaging2.json", zipkin),
]

if __name__ == "__main__":
    for rel, reader in FILES:
        with open(os.path.join(ROOT, rel)) as f:
            report(rel, measure(reader(json.load(f))))
    sys.exit(0)
