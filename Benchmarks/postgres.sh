#!/usr/bin/env bash
# The benchmark of issue 8: the same report in process (CSV) and pushed down to PostgreSQL.
#
#   bash Benchmarks/postgres.sh [--families 1000000] [--out /tmp/pg1m] [--protection none|as-is] [--templates DIR] [--skip-build]
#
# Builds regtab (release; SCRATCH, default .build), generates `regtab demo --families N` into OUT/microdata
# (kept between runs), starts a throwaway PostgreSQL (.ci/with-postgres), loads the data with `regtab load`
# (timed), then runs the report (a) from CSV and (b) with --source through a byte-counting loopback proxy,
# so the bytes counted are every byte that crossed the connection (TLS and protocol framing included).
# Wall time and regtab's peak RSS come from /usr/bin/time. The twins of (a) and (b) must be identical.
# `--protection none` (default) runs a copy of the report definition with `protection: {method: none}`:
# disclosure control takes the same time on both paths and would only blur the comparison.
set -euo pipefail
cd "$(dirname "$0")/.."
FAMILIES=1000000
OUT=/tmp/pg1m
PROTECTION=none
BUILD=1
TEMPLATES=Templates
while (($#)); do
  case "$1" in
    --families) FAMILIES=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --protection) PROTECTION=$2; shift 2 ;;
    --templates) TEMPLATES=$2; shift 2 ;;
    --skip-build) BUILD=0; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "postgres.sh: unknown argument $1" >&2; exit 64 ;;
  esac
done
SCRATCH=${SCRATCH:-.build}
[ "$BUILD" = 1 ] && swift build -c release --scratch-path "$SCRATCH" --product regtab
REGTAB_BIN="$SCRATCH/release/regtab"
REPORT=reports/regsosek
if [ "$PROTECTION" = none ]; then
  REPORT="$OUT/report-noprotection"
  rm -rf "$REPORT" && mkdir -p "$OUT" && cp -r reports/regsosek "$REPORT"
  python3 - "$REPORT/report.yml" <<'EOF'
import re, sys
p = sys.argv[1]; s = open(p).read()
s = re.sub(r"(?m)^protection:\n(  .*\n)*", "protection: {method: none}\n", s)
open(p, "w").write(s)
EOF
fi
if [ ! -f "$OUT/microdata/anggota.csv" ]; then
  echo "== generating $FAMILIES families into $OUT/microdata"
  "$REGTAB_BIN" demo --families "$FAMILIES" --out "$OUT" --report "$REPORT" > "$OUT/demo.log" 2>&1
fi
export REGTAB_BIN REPORT OUT TEMPLATES
bash .ci/with-postgres bash -c '
set -euo pipefail
URL="${REGTAB_TEST_PG_URL%%\?*}?schema=bench&${REGTAB_TEST_PG_URL#*\?}"
echo "== load: regtab load --data $OUT/microdata"
/usr/bin/time -f "load: %e s wall, %M KiB peak RSS" "$REGTAB_BIN" load --data "$OUT/microdata" --target "$URL" --replace 2>&1 | grep -v "^…"
PORT=$(echo "$URL" | sed -E "s#.*:([0-9]+)/.*#\1#")
PROXY_PORT=$(python3 -c "import socket; s = socket.socket(); s.bind((\"127.0.0.1\", 0)); print(s.getsockname()[1])")
python3 - "$PROXY_PORT" "$PORT" "$OUT/proxy-bytes" <<"EOF" &
# A loopback TCP proxy that counts the bytes in both directions and writes them when a connection closes.
import socket, sys, threading
listen, target, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
total = {"to_server": 0, "to_client": 0}
lock = threading.Lock()
def pipe(a, b, key):
    try:
        while True:
            data = a.recv(1 << 16)
            if not data: break
            with lock: total[key] += len(data)
            b.sendall(data)
    except OSError: pass
    finally:
        for s in (a, b):
            try: s.shutdown(socket.SHUT_RDWR)
            except OSError: pass
        with lock: open(out, "w").write("%d %d\n" % (total["to_server"], total["to_client"]))
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", listen)); srv.listen(4)
while True:
    c, _ = srv.accept()
    s = socket.create_connection(("127.0.0.1", target))
    threading.Thread(target=pipe, args=(c, s, "to_server"), daemon=True).start()
    threading.Thread(target=pipe, args=(s, c, "to_client"), daemon=True).start()
EOF
PROXY=$!
trap "kill $PROXY 2>/dev/null || true" EXIT
sleep 1
PROXY_URL=$(echo "$URL" | sed -E "s#:$PORT/#:$PROXY_PORT/#")
echo "== uptime before: $(uptime)"
echo "== (a) in process: regtab run --data"
rm -rf "$OUT/out-csv" "$OUT/out-pg"
/usr/bin/time -f "in-process: %e s wall, %U s user, %M KiB peak RSS" "$REGTAB_BIN" run "$REPORT" --data "$OUT/microdata" --out "$OUT/out-csv" --templates "$TEMPLATES" --allow-errors > "$OUT/run-csv.log" 2>&1 || { tail "$OUT/run-csv.log"; exit 1; }
tail -1 "$OUT/run-csv.log"
du -cb "$OUT"/microdata/*.csv | tail -1 | awk "{print \"CSV input read in process: \" \$1 \" bytes\"}"
echo "== (b) PostgreSQL: regtab run --source"
/usr/bin/time -f "postgres: %e s wall, %U s user, %M KiB peak RSS (regtab)" "$REGTAB_BIN" run "$REPORT" --source "$PROXY_URL" --out "$OUT/out-pg" --templates "$TEMPLATES" --allow-errors > "$OUT/run-pg.log" 2>&1 || { tail "$OUT/run-pg.log"; exit 1; }
tail -1 "$OUT/run-pg.log"
grep "^database:" "$OUT/run-pg.log" || true
sleep 1
awk "{print \"bytes over the connection: \" \$1 \" to the server (SQL), \" \$2 \" to regtab\"}" "$OUT/proxy-bytes"
echo "== uptime after: $(uptime)"
if diff -rq "$OUT/out-csv/data" "$OUT/out-pg/data" >/dev/null; then echo "twins: identical"; else echo "twins: DIFFER"; exit 1; fi
'
