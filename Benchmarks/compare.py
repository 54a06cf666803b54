#!/usr/bin/env python3
"""Compares two sets of CSV twins cell by cell (contract §3 format).

    python3 Benchmarks/compare.py A_DIR B_DIR [--tables t1,t2,…] [--show 20] [--tolerance 1e-6]

A_DIR and B_DIR are output folders (holding data/<table>.csv) or the data folders themselves. A cell is
keyed by table, area_level, area_code, its dimension codes and measure. Two cells agree when obs_status is
equal and the values are equal as text, or as numbers within the tolerance when either is not whole (rates
are printed with six decimals). Cells that either side marks confidential (`C`, disclosure control) are
skipped and counted. A table that neither side has is reported as absent and passes (contract §2, rev. 2: a run
without penerima.csv produces no duplicates table); a table that only one side has is a difference. Exit code
0 = every compared cell agrees, 1 = differences (the first ones listed), 2 = a file is unreadable.
"""
import argparse
import csv
import os
import sys

CORE_TABLES = ["population_sex", "population_age_sex", "families_desil", "targeting", "duplicates"]
FIXED = ("table", "area_level", "area_code")
TAIL = ("measure", "value", "obs_status")


def data_dir(d):
    sub = os.path.join(d, "data")
    return sub if os.path.isdir(sub) else d


def read_twin(path):
    """{key: (value, status)} and the dimension column names."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = csv.reader(f)
        header = next(rows)
        if tuple(header[:3]) != FIXED or tuple(header[-3:]) != TAIL:
            raise ValueError(f"{path}: not a twin header: {','.join(header)}")
        dims = header[3:-3]
        cells = {}
        for line, row in enumerate(rows, start=2):
            if len(row) != len(header):
                raise ValueError(f"{path}:{line}: {len(row)} fields, header has {len(header)}")
            key = tuple(row[:-2])
            if key in cells:
                raise ValueError(f"{path}:{line}: cell {','.join(key)} appears twice")
            cells[key] = (row[-2], row[-1])
        return dims, cells


def same_value(a, b, tolerance):
    if a == b:
        return True
    try:
        x, y = float(a), float(b)
    except ValueError:
        return False
    if x.is_integer() and y.is_integer():
        return x == y          # counts: exact (`40` and `40.0` are the same number)
    return abs(x - y) <= tolerance


def compare(a_dir, b_dir, tables, tolerance):
    """Returns (differences, stats) where stats[table] = (compared, skipped_confidential), or None when the
    table is absent on both sides."""
    diffs, stats = [], {}
    for t in tables:
        pa, pb = os.path.join(data_dir(a_dir), t + ".csv"), os.path.join(data_dir(b_dir), t + ".csv")
        has_a, has_b = os.path.exists(pa), os.path.exists(pb)
        if not has_a and not has_b:
            stats[t] = None
            continue
        if not has_a or not has_b:
            diffs.append((t, "file", f"only in {'A' if has_a else 'B'}: {pa if has_a else pb}"))
            stats[t] = (0, 0)
            continue
        dims_a, cells_a = read_twin(pa)
        dims_b, cells_b = read_twin(pb)
        if dims_a != dims_b:
            diffs.append((t, "header", f"dimensions {dims_a} vs {dims_b}"))
            stats[t] = (0, 0)
            continue
        compared = skipped = 0
        for key in sorted(set(cells_a) | set(cells_b)):
            va, vb = cells_a.get(key), cells_b.get(key)
            label = ",".join(key)
            if va is None or vb is None:
                side = "B" if va is None else "A"
                diffs.append((t, label, f"only in {side}: {va or vb}"))
                continue
            if va[1] == "C" or vb[1] == "C":
                skipped += 1
                continue
            compared += 1
            if va[1] != vb[1] or not same_value(va[0], vb[0], tolerance):
                diffs.append((t, label, f"A={va[0]!r}/{va[1] or '-'}  B={vb[0]!r}/{vb[1] or '-'}"))
        stats[t] = (compared, skipped)
    return diffs, stats


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("a_dir")
    ap.add_argument("b_dir")
    ap.add_argument("--tables", default=",".join(CORE_TABLES))
    ap.add_argument("--show", type=int, default=20, help="differences to list (default 20)")
    ap.add_argument("--tolerance", type=float, default=1e-6)
    args = ap.parse_args()
    tables = [t for t in args.tables.split(",") if t]
    try:
        diffs, stats = compare(args.a_dir, args.b_dir, tables, args.tolerance)
    except (OSError, ValueError, StopIteration) as e:
        print(f"compare: {e}", file=sys.stderr)
        return 2
    for t in tables:
        if stats[t] is None:
            print(f"{t:20} absent on both sides")
            continue
        compared, skipped = stats[t]
        n = sum(1 for d in diffs if d[0] == t)
        print(f"{t:20} {compared:8} cells compared, {skipped:6} skipped (C), {n:6} different")
    for t, key, what in diffs[:args.show]:
        print(f"  DIFF {t}: {key}: {what}")
    if len(diffs) > args.show:
        print(f"  … and {len(diffs) - args.show} more")
    print("agree" if not diffs else f"{len(diffs)} difference(s)")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
