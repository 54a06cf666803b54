#!/usr/bin/env python3
"""Compare the machine-readable twins (data/<table>.csv) of two regtab-style output folders.

Usage: python3 compare_twins.py OUT_A OUT_B [--tables t1 t2 ...]

Cells are keyed on (table, area_level, area_code, <dimension columns by name>, measure).
Reports keys present in only one side, differing values (counts exact; measures ending in `_pct`
or containing `rate`/`share` compared with 1e-6 relative or 1e-6 absolute tolerance) and obs_status differences,
summarised per table and measure with up to 10 examples each. A table absent on both sides passes; on
one side only it is a difference. Exit code 1 if anything differs.
"""
import argparse
import csv
import io
import os
import sys
from collections import defaultdict

CORE = ["population_sex", "population_age_sex", "families_desil", "targeting", "duplicates"]
FIXED = {"table", "area_level", "area_code", "measure", "value", "obs_status"}
MAX_EX = 10


def load(folder, table):
    path = os.path.join(folder, "data", table + ".csv")
    if not os.path.exists(path):
        return None, None, None
    with open(path, "rb") as f:
        text = f.read().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    if not rows:
        return {}, [], []
    dims = [c for c in rows[0].keys() if c not in FIXED]
    cells = {}
    dups = []
    for r in rows:
        key = (r.get("table", table), r["area_level"], r["area_code"]) + tuple(
            f"{d}={r.get(d, '')}" for d in sorted(dims)) + (r["measure"],)
        if key in cells:
            dups.append(key)
        cells[key] = ((r.get("value") or "").strip(), (r.get("obs_status") or "").strip())
    return cells, dims, dups


def is_rate(measure):
    return measure.endswith("_pct") or "rate" in measure or "share" in measure


def same_value(a, b, measure):
    if a == b:
        return True
    if a == "" or b == "":
        return False
    try:
        x, y = float(a), float(b)
    except ValueError:
        return False
    if is_rate(measure):
        # 1e-6 relative, or 1e-6 absolute (percentage points) so that a side rounding rates to
        # 6 decimals is not flagged for small rates
        return abs(x - y) <= 1e-6 * max(abs(x), abs(y)) or abs(x - y) <= 1e-6
    return x == y


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out_a")
    ap.add_argument("out_b")
    ap.add_argument("--tables", nargs="+", default=CORE)
    args = ap.parse_args()
    any_diff = False
    for t in args.tables:
        la = load(args.out_a, t)
        lb = load(args.out_b, t)
        if la[0] is None and lb[0] is None:
            print(f"== {t}: absent on both sides")   # e.g. duplicates without penerima.csv (rev. 2)
            continue
        if la[0] is None or lb[0] is None:
            print(f"== {t}: file missing in {'A' if la[0] is None else ''}{'B' if lb[0] is None else ''}")
            any_diff = True
            continue
        a, dims_a, dups_a = la
        b, dims_b, dups_b = lb
        issues = defaultdict(list)   # (kind, measure) -> examples
        counts = defaultdict(int)
        if sorted(dims_a) != sorted(dims_b):
            print(f"== {t}: dimension columns differ: A={dims_a} B={dims_b}")
        for name, dd in (("A", dups_a), ("B", dups_b)):
            for k in dd:
                counts[(f"duplicate key in {name}", k[-1])] += 1
                issues[(f"duplicate key in {name}", k[-1])].append(k)
        for k in a.keys() - b.keys():
            kind = ("only in A", k[-1])
            counts[kind] += 1
            issues[kind].append((k, a[k]))
        for k in b.keys() - a.keys():
            kind = ("only in B", k[-1])
            counts[kind] += 1
            issues[kind].append((k, b[k]))
        for k in a.keys() & b.keys():
            (va, sa), (vb, sb) = a[k], b[k]
            if sa != sb:
                kind = ("status differs", k[-1])
                counts[kind] += 1
                issues[kind].append((k, a[k], b[k]))
            elif not same_value(va, vb, k[-1]):
                kind = ("value differs", k[-1])
                counts[kind] += 1
                issues[kind].append((k, a[k], b[k]))
        n = len(a.keys() | b.keys())
        if not counts:
            print(f"== {t}: OK ({n} cells)")
            continue
        any_diff = True
        print(f"== {t}: {sum(counts.values())} differences over {n} cells")
        for kind in sorted(counts):
            print(f"  -- {kind[0]} / measure {kind[1]}: {counts[kind]}")
            for ex in sorted(issues[kind], key=str)[:MAX_EX]:
                if kind[0] in ("value differs", "status differs"):
                    k, ea, eb = ex
                    print(f"     {' '.join(k[1:-1])}: A={ea[0]!r}/{ea[1]!r} B={eb[0]!r}/{eb[1]!r}")
                elif kind[0].startswith("only"):
                    k, e = ex
                    print(f"     {' '.join(k[1:-1])}: value={e[0]!r} status={e[1]!r}")
                else:
                    print(f"     {' '.join(ex[1:-1])}")
    sys.exit(1 if any_diff else 0)


if __name__ == "__main__":
    main()
