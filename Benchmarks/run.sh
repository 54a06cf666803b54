#!/usr/bin/env bash
# The benchmark of issue 6: regtab vs a DuckDB script implementing the same contract tables vs `cat`.
#
#   bash Benchmarks/run.sh [--sizes 100000,1000000,3000000] [--runs 3] [--threads 2]
#                          [--protection as-is|none] [--tables core|all] [--cold] [--report DIR] [--skip-build]
#
# Builds regtab (release), generates `regtab demo` registries of each size into Benchmarks/data/ (kept;
# git-ignored), installs Python duckdb into Benchmarks/.venv if it is not there, then for each size runs,
# alternating, RUNS times each: (a) `regtab run REPORT --data … --out … --allow-errors`, (b)
# Benchmarks/duckdb_contract.py on the same files with THREADS threads, (c) `cat files > /dev/null`. Wall
# time and peak RSS come from /usr/bin/time; medians, min–max and the ratios go to stdout and to
# Benchmarks/results/<date>.md (git-ignored). At the smallest size the core tables of (a) and (b) are
# compared cell by cell (Benchmarks/compare.py; cells regtab marks confidential are skipped and counted).
#
# --protection none (default) runs regtab on a copy of the report definition with `protection: {method:
# none}`: the DuckDB script does no disclosure control, so this compares the same work. `as-is` uses the
# report definition unchanged (suppressed `C` cells are skipped by the cross-check; the cell key method
# perturbs published counts, so with it the cross-check reports differences by design).
# --cold drops the page cache before every timed run (`echo 3 > /proc/sys/vm/drop_caches`, needs root), so
# every tool, `cat` included, reads the files from disk: the first run on a fresh extract. Default: warm
# cache (the files were just generated or read), which is the harder comparison for regtab — `cat` then
# moves page-cache bytes at memory speed.
# --tables core (default) keeps the report's tables.yml to the contract's core profile tables (population_sex,
# population_age_sex, families_desil; targeting and duplicates are always computed) — the work the DuckDB
# script does; `all` keeps every table. Either way regtab also runs its data check, hashes the inputs and
# writes every output format (xlsx, md, html, briefing, CSV twins, manifest).
# Environment: SCRATCH (swift build scratch path, default .build), PYTHON (a python with duckdb; default
# Benchmarks/.venv/bin/python).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

SIZES=100000,1000000,3000000
RUNS=3
THREADS=2
PROTECTION=none
TABLES=core
COLD=0
REPORT=reports/regsosek
BUILD=1
while (($#)); do
  case "$1" in
    --sizes) SIZES=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --protection) PROTECTION=$2; shift 2 ;;
    --tables) TABLES=$2; shift 2 ;;
    --cold) COLD=1; shift ;;
    --report) REPORT=$2; shift 2 ;;
    --skip-build) BUILD=0; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 64 ;;
  esac
done
case "$PROTECTION" in none|as-is) ;; *) echo "run.sh: --protection none|as-is" >&2; exit 64 ;; esac
case "$TABLES" in core|all) ;; *) echo "run.sh: --tables core|all" >&2; exit 64 ;; esac

SCRATCH=${SCRATCH:-.build}
BIN=$SCRATCH/release/regtab
DATA=$ROOT/Benchmarks/data
RESULTS=$ROOT/Benchmarks/results
mkdir -p "$DATA" "$RESULTS"

if [ ! -x /usr/bin/time ]; then
  echo "== installing GNU time"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get install -y -qq time >/dev/null
fi

if ((BUILD)); then
  echo "== swift build -c release --product regtab --scratch-path $SCRATCH"
  swift build -c release --product regtab --scratch-path "$SCRATCH" 2>&1 | tail -1
fi
[ -x "$BIN" ] || { echo "run.sh: $BIN not found (build first or drop --skip-build)" >&2; exit 1; }

PY=${PYTHON:-$ROOT/Benchmarks/.venv/bin/python}
if ! "$PY" -c "import duckdb" 2>/dev/null; then
  echo "== installing duckdb into Benchmarks/.venv"
  python3 -m venv "$ROOT/Benchmarks/.venv"
  PY=$ROOT/Benchmarks/.venv/bin/python
  "$PY" -m pip install --quiet duckdb
fi
DUCKDB_VERSION=$("$PY" -c "import duckdb; print(duckdb.__version__)")

# A copy of the report definition without disclosure control: for the demo's own report run (its output is
# not used) and, with --protection none, for the timed runs.
NOPROT=$DATA/report-noprotection
rm -rf "$NOPROT" && cp -r "$REPORT" "$NOPROT"
"$PY" - "$NOPROT/report.yml" <<'EOF'
import re, sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
s = re.sub(r"(?m)^protection:.*\n(?:[ \t]+.*\n|[ \t]*\n)*", "", s).rstrip("\n") + "\nprotection:\n  method: none\n"
open(p, "w", encoding="utf-8").write(s)
EOF
RUN_REPORT=$REPORT; [ "$PROTECTION" = none ] && RUN_REPORT=$NOPROT
if [ "$TABLES" = core ]; then
  CORE=$DATA/report-core
  rm -rf "$CORE" && cp -r "$RUN_REPORT" "$CORE"
  "$PY" - "$CORE/tables.yml" <<'EOF'
import re, sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
head, body = s.split("\ntables:\n", 1)
blocks = re.split(r"(?m)^(?=  - id: )", body)
keep = [b for b in blocks[1:] if re.match(r"  - id: (population_sex|population_age_sex|families_desil)\s*$", b.split("\n", 1)[0])]
assert len(keep) == 3, "core tables not found in tables.yml"
open(p, "w", encoding="utf-8").write(head + "\ntables:\n" + blocks[0] + "".join(keep))
EOF
  RUN_REPORT=$CORE
fi

IFS=, read -r -a sizes <<<"$SIZES"
STAMP=$(date +%Y-%m-%d-%H%M%S)
RAW=$RESULTS/$STAMP.tsv
REPORT_MD=$RESULTS/$STAMP.md
: >"$RAW"
LOAD_BEFORE=$(uptime)

for n in "${sizes[@]}"; do
  dir=$DATA/demo-$n
  if [ ! -f "$dir/.complete" ]; then
    echo "== generating $n families into $dir"
    rm -rf "$dir"
    "$BIN" demo --families "$n" --out "$dir" --report "$NOPROT" >"$dir.demo.log" 2>&1 || { tail -5 "$dir.demo.log"; exit 1; }
    grep -m1 '^Generated' "$dir.demo.log" >"$dir/.complete"
    rm -rf "$dir/data" "$dir"/report.* "$dir/manifest.json"
  fi
  micro=$dir/microdata
  persons=$(sed -E 's/.* families, ([0-9]+) persons.*/\1/' "$dir/.complete")
  bytes=$(cat "$micro"/*.csv | wc -c)
  echo "== $n families ($persons persons, $((bytes / 1048576)) MiB of CSV): $RUNS runs each"
  out=$DATA/out-$n
  tools=(regtab duckdb cat)
  for ((r = 1; r <= RUNS; r++)); do
    for ((k = 0; k < 3; k++)); do
      tool=${tools[$(((k + r - 1) % 3))]}
      rm -rf "$out/$tool"; mkdir -p "$out/$tool"
      case $tool in
        regtab) cmd=("$BIN" run "$RUN_REPORT" --data "$micro" --out "$out/regtab" --allow-errors) ;;
        duckdb) cmd=("$PY" Benchmarks/duckdb_contract.py "$micro" "$out/duckdb" --threads "$THREADS") ;;
        cat) cmd=(sh -c 'cat "$@" >/dev/null' cat "$micro"/keluarga.csv "$micro"/anggota.csv "$micro"/penerima.csv "$micro"/wilayah.csv) ;;
      esac
      if ((COLD)); then sync; echo 3 >/proc/sys/vm/drop_caches || { echo "run.sh: --cold needs root" >&2; exit 1; }; fi
      if ! /usr/bin/time -f '%e %M' -o "$out/$tool.time" "${cmd[@]}" >"$out/$tool.log" 2>&1; then
        echo "run.sh: $tool failed on $n families (log: $out/$tool.log)" >&2; tail -5 "$out/$tool.log" >&2; exit 1
      fi
      read -r secs kb < <(tail -1 "$out/$tool.time")
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$persons" "$bytes" "$tool" "$r" "$secs" "$kb" >>"$RAW"
      printf '   run %d %-6s %7.2f s %8.0f MiB\n' "$r" "$tool" "$secs" "$((kb / 1024))"
    done
  done
done
LOAD_AFTER=$(uptime)

# Cell-by-cell agreement of the core tables at the smallest size (outputs of the last runs).
smallest=${sizes[0]}
for n in "${sizes[@]}"; do ((n < smallest)) && smallest=$n; done
set +e
CHECK=$("$PY" Benchmarks/compare.py "$DATA/out-$smallest/regtab" "$DATA/out-$smallest/duckdb" --show 10)
CHECK_RC=$?
set -e

export RAW REPORT_MD STAMP LOAD_BEFORE LOAD_AFTER RUN_REPORT PROTECTION TABLES COLD DUCKDB_VERSION THREADS RUNS CHECK CHECK_RC smallest
export MACHINE="$(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB RAM"
export REVISION="$(git rev-parse --short HEAD 2>/dev/null || echo '?')"
"$PY" - <<'EOF'
import os, statistics
from collections import defaultdict
e = os.environ
runs, meta = defaultdict(list), {}
for line in open(e["RAW"]):
    n, persons, size, tool, r, secs, kb = line.rstrip("\n").split("\t")
    runs[(int(n), tool)].append((float(secs), int(kb) / 1024))
    meta[int(n)] = (int(persons), int(size))
def stat(xs):
    return statistics.median(xs), min(xs), max(xs)
lines = ["| families | persons | CSV MiB | tool | wall s, median (min–max) | peak RSS MiB, median (min–max) | time ÷ DuckDB | RSS ÷ DuckDB | time ÷ cat |",
         "|---:|---:|---:|---|---:|---:|---:|---:|---:|"]
for n in sorted(meta):
    persons, size = meta[n]
    med = {t: (stat([s for s, _ in runs[(n, t)]]), stat([m for _, m in runs[(n, t)]])) for t in ("regtab", "duckdb", "cat")}
    for t in ("regtab", "duckdb", "cat"):
        (ts, tmin, tmax), (ms, mmin, mmax) = med[t]
        rt = f"{ts / med['duckdb'][0][0]:.2f}" if t != "duckdb" else ""
        rm = f"{ms / med['duckdb'][1][0]:.2f}" if t != "duckdb" else ""
        rc = f"{ts / med['cat'][0][0]:.1f}" if t != "cat" and med["cat"][0][0] > 0 else ""
        lines.append(f"| {n:,} | {persons:,} | {size / 1048576:.0f} | {t} | {ts:.2f} ({tmin:.2f}–{tmax:.2f}) | "
                     f"{ms:.0f} ({mmin:.0f}–{mmax:.0f}) | {rt} | {rm} | {rc} |")
table = "\n".join(lines)
print("\n" + table)
with open(e["REPORT_MD"], "w") as f:
    f.write(f"# regtab benchmark, {e['STAMP']}\n\n")
    f.write(f"- machine: {e['MACHINE']}; load before: `{e['LOAD_BEFORE'].strip()}`; after: `{e['LOAD_AFTER'].strip()}`\n")
    f.write(f"- regtab `{e['REVISION']}` (+ working tree), report `{e['RUN_REPORT']}` (protection: {e['PROTECTION']}, tables: {e['TABLES']}, page cache: {'dropped before each run' if e['COLD'] == '1' else 'warm'}); "
            f"DuckDB {e['DUCKDB_VERSION']}, {e['THREADS']} threads; {e['RUNS']} runs each, alternating\n\n")
    f.write(table + "\n\n")
    f.write(f"Cross-check of the core tables at {e['smallest']} families (Benchmarks/compare.py, exit {e['CHECK_RC']}):\n\n")
    f.write("```\n" + e["CHECK"] + "\n```\n")
print(f"\nwritten to {e['REPORT_MD']}")
EOF
echo
echo "Cross-check at $smallest families (exit $CHECK_RC):"
echo "$CHECK"
exit "$CHECK_RC"
