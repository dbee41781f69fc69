#!/usr/bin/env python3
"""Writes GENERATED (synthetic) work-item history for the mortgage example: events.csv in the
neutral events format and map.toml. Seeded: running it again gives the same files.

The history follows the example map's stages, with calendar times drawn around the map's
working times (one working hour of a 40-hour week is 4.2 calendar hours), except that the
Documents & KYC wait runs about 60 % longer than the workshop estimated: a gap the Measured
flow view and calibration can show. Run: python3 generate.py
"""
import csv, math, random
from datetime import datetime, timedelta, timezone

random.seed(20261125)
CAL = 168 / 40  # calendar hours per working hour (8 h x 5 d)
START = datetime(2026, 6, 1, 8, 0, tzinfo=timezone.utc)
DAYS = 154
ITEMS = 2600  # about the model's demand of 120 applications a week

# (waiting status, active status, wait working h, process working h, %C&A, real/estimate)
STEPS = [
    ("Submitted", "Application review", 4, 1.0, 0.82, 1.0),
    ("Awaiting documents", "KYC check", 30, 2.1, 0.70, 1.6),
    ("Awaiting scoring", "Credit scoring", 50, 0.5, 0.90, 1.0),
    ("Awaiting valuation", "Valuation", 40, 2.0, 0.95, 1.1),
    ("Awaiting underwriting", "Underwriting", 16, 2.75, 0.88, 0.9),
    ("Offer sent", "Signing", 10, 0.5, 0.97, 1.0),
]

def lognormal(mean, sigma):
    # a log-normal variate with the given mean
    mu = math.log(max(mean, 1e-6)) - sigma * sigma / 2
    return random.lognormvariate(mu, sigma)

def stamp(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")

rows = []
span = timedelta(days=DAYS * 0.9)
for n in range(ITEMS):
    item = f"APP-{10001 + n}"
    t = START + span * (n / ITEMS) + timedelta(hours=random.uniform(0, 6))
    prev = ""
    withdrawn = random.random() < 0.04
    for k, (wait, active, wt, pt, pca, real) in enumerate(STEPS):
        rows.append((item, "application", stamp(t), prev, wait))
        t += timedelta(hours=lognormal(wt * real * CAL, 0.6))
        rows.append((item, "application", stamp(t), wait, active))
        t += timedelta(hours=lognormal(pt * CAL, 0.4))
        prev = active
        if random.random() > pca:  # rework: back to waiting at this step, once
            rows.append((item, "application", stamp(t), active, wait))
            t += timedelta(hours=lognormal(wt * 0.3 * CAL, 0.5))
            rows.append((item, "application", stamp(t), wait, active))
            t += timedelta(hours=lognormal(pt * CAL, 0.4))
        if withdrawn and k == 2:
            rows.append((item, "application", stamp(t), active, "Withdrawn"))
            break
    else:
        rows.append((item, "application", stamp(t), prev, "Signed"))

end = START + timedelta(days=DAYS)
rows = [r for r in rows if r[2] <= stamp(end)]
rows.sort(key=lambda r: (r[0], r[2]))
with open("events.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["item_id", "item_type", "timestamp", "from_state", "to_state"])
    w.writerows(rows)

stages = ["intake", "kyc", "scoring", "valuation", "underwriting", "offer"]
with open("map.toml", "w") as f:
    f.write("# GENERATED example data: how the mortgage stream's statuses read as flow states and stages.\n")
    f.write("[states]\n")
    for wait, active, *_ in STEPS:
        f.write(f'"{wait}" = "waiting"\n"{active}" = "active"\n')
    f.write('"Signed" = "done"\n"Withdrawn" = "canceled"\n\n[stages]\n')
    for (wait, active, *_), st in zip(STEPS, stages):
        f.write(f'"{wait}" = "{st}"\n"{active}" = "{st}"\n')
    f.write('\n[types]\napplication = "feature"\n')
print(f"{len(rows)} events for {ITEMS} applications")
