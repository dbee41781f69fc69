#!/usr/bin/env python3
"""THIRD-PARTY.md for the package: every Rust crate the app and the `tributary` command are
built from (normal dependencies, for Linux), the npm packages the UI bundle holds, and the
fonts, each with its licence as its authors declare it. Run from anywhere in the checkout."""

import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SHIPPED = ("tributary-app", "tributary-cli")


def crates():
    meta = json.loads(
        subprocess.run(
            ["cargo", "metadata", "--format-version", "1", "--locked",
             "--filter-platform", "x86_64-unknown-linux-gnu"],
            cwd=ROOT, check=True, capture_output=True, text=True,
        ).stdout
    )
    packages = {p["id"]: p for p in meta["packages"]}
    nodes = {n["id"]: n for n in meta["resolve"]["nodes"]}
    todo = [p["id"] for p in meta["packages"] if p["name"] in SHIPPED and p["source"] is None]
    seen = set()
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        for dep in nodes[pid]["deps"]:
            # only what is linked into the binaries: not build scripts' or tests' dependencies
            if any(k["kind"] is None for k in dep["dep_kinds"]):
                todo.append(dep["pkg"])
    shipped = [packages[i] for i in seen if packages[i]["source"] is not None]
    return sorted((p["name"], p["version"], p.get("license") or "see its repository") for p in shipped)


def npm():
    lock = json.loads((ROOT / "ui/package-lock.json").read_text())
    rows = []
    for path, p in lock.get("packages", {}).items():
        if not path or p.get("dev") or p.get("devOptional"):
            continue
        name = path.split("node_modules/")[-1]
        rows.append((name, p.get("version", "?"), p.get("license", "see its repository")))
    return sorted(set(rows))


def table(rows):
    lines = ["| Name | Version | Licence |", "|---|---|---|"]
    lines += [f"| {n} | {v} | {l} |" for n, v, l in rows]
    return "\n".join(lines)


def main():
    rust, js = crates(), npm()
    print("# What Tributary is built from\n")
    print("Tributary itself is licensed MIT OR Apache-2.0. It bundles the work of others, under")
    print("the licences below (as each declares it).\n")
    print("## Fonts\n")
    print("Inter (Regular, Italic, Medium, SemiBold), by Rasmus Andersson: SIL Open Font License 1.1.")
    print("Reports and map images are drawn with it.\n")
    print(f"## Rust crates ({len(rust)})\n")
    print(table(rust))
    print(f"\n## JavaScript packages in the app's window ({len(js)})\n")
    print(table(js))
    return 0


if __name__ == "__main__":
    sys.exit(main())
