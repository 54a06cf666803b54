#!/usr/bin/env bash
# The national-shape benchmark of issue 19: the FULL report (every table, every format, disclosure control as
# the report definition says) on registries of many regencies, beside the DuckDB script (core tables).
#
#   bash Benchmarks/national.sh [--families 1000000] [--regencies 7,50,500] [--runs 3] [--threads 2]
#                               [--report reports/regsosek] [--skip-build] [--verbose] [--memory-limit SIZE]
#
# For each number of families F it generates one `regtab demo` registry (Benchmarks/data/src-F, kept), then
# for each R spreads it over R synthetic regencies with Benchmarks/national_shape.py (Benchmarks/data/ns-F-rR,
# kept; members shuffled in blocks across villages and regencies), and times RUNS alternating runs of
# (a) `regtab run REPORT --data … --allow-errors` and (b) Benchmarks/duckdb_contract.py with THREADS threads,
# each under /usr/bin/time (wall time, peak RSS). `--verbose` keeps regtab's phase timings (the last run's
# log); `--memory-limit SIZE` is passed to regtab (its sequential schedule when SIZE calls for it). Medians (min–max), the ratios and `uptime` before and after every pair of runs go to stdout and to
# Benchmarks/results/national-<date>.md (git-ignored).
#
# Every run writes into a folder of its own (Benchmarks/data/nout-<date>/…), all deleted at the end, not
# between runs: on an ext4 without a journal (this project's development VM) creating a file scans past every
# inode deleted in the last minutes (the kernel's `recently_deleted`), so deleting one run's 15,525 files before
# the next made the next run's file creation several times slower (perf: find_get_block_common,
# recently_deleted) — a cost of the benchmark, not of the tool. `--keep-outputs` keeps the folders.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
FAMILIES=1000000
REGENCIES=7,50,500
RUNS=3
THREADS=2
REPORT=reports/regsosek
BUILD=1
KEEP=0
VERBOSE=()
LIMIT=()
while (($#)); do
  case "$1" in
    --families) FAMILIES=$2; shift 2 ;;
    --regencies) REGENCIES=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --report) REPORT=$2; shift 2 ;;
    --skip-build) BUILD=0; shift ;;
    --verbose) VERBOSE=(--verbose); shift ;;
    --memory-limit) LIMIT=(--memory-limit "$2"); shift 2 ;;
    --keep-outputs) KEEP=1; shift ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "national.sh: unknown argument $1" >&2; exit 64 ;;
  esac
done
SCRATCH=${SCRATCH:-.build}
BIN=${REGTAB:-$SCRATCH/release/regtab}
DATA=$ROOT/Benchmarks/data
RESULTS=$ROOT/Benchmarks/results
mkdir -p "$DATA" "$RESULTS"
[ -x /usr/bin/time ] || { echo "national.sh: needs GNU time (apt-get install time)" >&2; exit 1; }
if ((BUILD)); then
  swift build -c release --product regtab --scratch-path "$SCRATCH" 2>&1 | tail -1
fi
[ -x "$BIN" ] || { echo "national.sh: $BIN not found" >&2; exit 1; }
PY=${PYTHON:-$ROOT/Benchmarks/.venv/bin/python}
if ! "$PY" -c "import duckdb" 2>/dev/null; then
  python3 -m venv "$ROOT/Benchmarks/.venv"
  PY=$ROOT/Benchmarks/.venv/bin/python
  "$PY" -m pip install --quiet duckdb
fi

# The demo's own report run is not needed: generate with protection off (faster) and discard its outputs.
NOPROT=$DATA/report-noprotection
rm -rf "$NOPROT" && cp -r "$REPORT" "$NOPROT"
"$PY" - "$NOPROT/report.yml" <<'EOF'
import re, sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
s = re.sub(r"(?m)^protection:.*\n(?:[ \t]+.*\n|[ \t]*\n)*", "", s).rstrip("\n") + "\nprotection:\n  method: none\n"
open(p, "w", encoding="utf-8").write(s)
EOF

STAMP=$(date +%Y-%m-%d-%H%M%S)
RAW=$RESULTS/national-$STAMP.tsv
OUTMD=$RESULTS/national-$STAMP.md
OUTS=$DATA/nout-$STAMP
((KEEP)) || trap 'rm -rf "$OUTS"' EXIT
: >"$RAW"
IFS=, read -r -a families <<<"$FAMILIES"
IFS=, read -r -a regencies <<<"$REGENCIES"
for f in "${families[@]}"; do
  src=$DATA/src-$f
  if [ ! -f "$src/.complete" ]; then
    rm -rf "$src"
    "$BIN" demo --families "$f" --out "$src" --report "$NOPROT" --quiet >"$src.log" 2>&1 || true
    grep -q '^Generated' "$src.log" || { tail -5 "$src.log"; exit 1; }
    grep -m1 '^Generated' "$src.log" >"$src/.complete"
    rm -rf "$src/data" "$src"/report.* "$src/manifest.json"
  fi
  for r in "${regencies[@]}"; do
    micro=$DATA/ns-$f-r$r
    if [ ! -f "$micro/.complete" ]; then
      rm -rf "$micro"
      "$PY" Benchmarks/national_shape.py "$src/microdata" "$micro" --regencies "$r"
      touch "$micro/.complete"
    fi
    villages=$(($(wc -l <"$micro/wilayah.csv") - 1))
    echo "== $f families over $r regencies ($villages villages): $RUNS runs each"
    out=$OUTS/$f-r$r
    for ((k = 1; k <= RUNS; k++)); do
      order=(regtab duckdb); ((k % 2 == 0)) && order=(duckdb regtab)
      for tool in "${order[@]}"; do
        mkdir -p "$out/$tool-$k"
        case $tool in
          regtab) cmd=("$BIN" run "$REPORT" --data "$micro" --out "$out/regtab-$k" --allow-errors "${VERBOSE[@]}" "${LIMIT[@]}") ;;
          duckdb) cmd=("$PY" Benchmarks/duckdb_contract.py "$micro" "$out/duckdb-$k" --threads "$THREADS") ;;
        esac
        load=$(uptime | sed 's/.*load average: //')
        if ! /usr/bin/time -f '%e %M' -o "$out/$tool.time" "${cmd[@]}" >"$out/$tool.log" 2>&1; then
          echo "national.sh: $tool failed (log: $out/$tool.log)" >&2; tail -5 "$out/$tool.log" >&2; exit 1
        fi
        read -r secs kb < <(tail -1 "$out/$tool.time")
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$f" "$r" "$villages" "$tool" "$k" "$secs" "$kb" "$load" >>"$RAW"
        printf '   run %d %-6s %8.2f s %8d MiB   (load before: %s)\n' "$k" "$tool" "$secs" "$((kb / 1024))" "$load"
      done
    done
    if ((${#VERBOSE[@]})); then grep -E '^  (data check|engine|waiting|disclosure|outputs|village|manifest|memory)|^    · ' "$out/regtab.log" || true; fi
  done
done
export RAW OUTMD STAMP REPORT RUNS THREADS
export REVISION="$(git rev-parse --short HEAD 2>/dev/null || echo '?')"
"$PY" - <<'EOF'
import os, statistics
from collections import defaultdict
e = os.environ
runs, villages, loads = defaultdict(list), {}, defaultdict(list)
for line in open(e["RAW"]):
    f, r, v, tool, k, secs, kb, load = line.rstrip("\n").split("\t")
    runs[(int(f), int(r), tool)].append((float(secs), int(kb) / 1024))
    villages[(int(f), int(r))] = int(v)
    loads[(int(f), int(r))].append(load.split(",")[0])
def med(xs): return statistics.median(xs), min(xs), max(xs)
lines = ["| families | regencies | villages | tool | wall s, median (min–max) | peak RSS MiB, median (min–max) | time ÷ DuckDB | RSS ÷ DuckDB | bytes/family | load (1-min, before each run) |",
         "|---:|---:|---:|---|---:|---:|---:|---:|---:|---|"]
for (f, r) in sorted(villages):
    d = {t: (med([s for s, _ in runs[(f, r, t)]]), med([m for _, m in runs[(f, r, t)]])) for t in ("regtab", "duckdb")}
    for t in ("regtab", "duckdb"):
        (ts, t0, t1), (ms, m0, m1) = d[t]
        rt = f"{ts / d['duckdb'][0][0]:.2f}" if t == "regtab" else ""
        rm = f"{ms / d['duckdb'][1][0]:.2f}" if t == "regtab" else ""
        lines.append(f"| {f:,} | {r} | {villages[(f, r)]:,} | {t} | {ts:.2f} ({t0:.2f}–{t1:.2f}) | {ms:.0f} ({m0:.0f}–{m1:.0f}) | {rt} | {rm} | {ms * 1048576 / f:.0f} | {' '.join(loads[(f, r)]) if t == 'regtab' else ''} |")
table = "\n".join(lines)
print("\n" + table)
with open(e["OUTMD"], "w") as out:
    out.write(f"# regtab national-shape benchmark, {e['STAMP']}\n\nregtab `{e['REVISION']}` (+ working tree), report `{e['REPORT']}` as-is (all tables, its disclosure control); DuckDB script with {e['THREADS']} threads (core tables); {e['RUNS']} alternating runs, each into a new folder (none deleted until the end); machine `{os.cpu_count()}` cores.\n\n" + table + "\n")
print(f"\nwritten to {e['OUTMD']}")
EOF
