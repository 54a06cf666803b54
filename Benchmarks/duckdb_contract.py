#!/usr/bin/env python3
"""Runs Benchmarks/duckdb_contract.sql on contract CSVs: the DuckDB side of the benchmark and cross-check.

    python3 Benchmarks/duckdb_contract.py DATA_DIR OUT_DIR [--threads N] [--memory-limit 4GB] [--timings]

DATA_DIR holds keluarga.csv, anggota.csv, wilayah.csv and, optionally, penerima.csv (contract §1, revision 2;
columns in any order, `,`/`;`/tab, optional BOM). The reader's explicit column list is built from each header
line, so DuckDB sniffs nothing. OUT_DIR/data/<table>.csv receives the five core tables in regtab's twin format.
Without penerima.csv there is no roster source (contract §2 "No rosters"): targeting has `registry` rows only
and duplicates.csv is not written; a penerima.csv with only a header (or no bytes at all) is a supplied, empty
roster, published as zeros. wilayah.csv must have the `jenis` column (rev. 2: BLT_DESA needs it). Needs the
`duckdb` package from PyPI.
"""
import argparse
import csv
import os
import sys
import time

import duckdb

HERE = os.path.dirname(os.path.abspath(__file__))
SQL_PATH = os.path.join(HERE, "duckdb_contract.sql")

# Column types of the reader (everything else is read as text, VARCHAR); the columns each file must have.
TYPES = {"r101": "INTEGER", "r102": "INTEGER", "r103": "INTEGER", "r104": "INTEGER", "r105": "INTEGER",
         "r109": "BIGINT", "r110": "BIGINT"}
FILES = {
    "wilayah": (["kode_desa", "kode_desa_kemendagri", "jenis"], {"kode_desa": "BIGINT"}),
    "keluarga": (["r101", "r102", "r103", "r104", "r105", "r109", "r110", "r114", "desil", "r501a", "r501b", "r501c"], TYPES),
    "anggota": (["r101", "r102", "r103", "r104", "r105", "r109", "r110", "r403", "r404", "r405", "r407", "r410", "r412"]
                + [f"r428{x}" for x in "abcdefghi"] + ["r431a", "r431e"], TYPES),
    "penerima": (["program", "nik", "no_kk", "kode_desa_kemendagri"], {}),
}


def split_statements(sql):
    """Splits a script at `;` outside quotes and `--` comments."""
    out, cur, i, n = [], [], 0, len(sql)
    quote = None
    while i < n:
        c = sql[i]
        if quote:
            cur.append(c)
            if c == quote:
                quote = None
        elif c in "'\"":
            quote = c
            cur.append(c)
        elif c == "-" and sql.startswith("--", i):
            j = sql.find("\n", i)
            i = n if j < 0 else j
            continue
        elif c == ";":
            stmt = "".join(cur).strip()
            if stmt:
                out.append(stmt)
            cur = []
        else:
            cur.append(c)
        i += 1
    stmt = "".join(cur).strip()
    if stmt:
        out.append(stmt)
    return out


def sql_string(text):
    return "'" + text.replace("'", "''") + "'"


# The roster when there is none, or when penerima.csv has no header line: no rows, the reader's columns.
EMPTY_ROSTER = ("(SELECT NULL::VARCHAR AS program, NULL::VARCHAR AS nik, NULL::VARCHAR AS no_kk, "
                "NULL::VARCHAR AS kode_desa_kemendagri, NULL::VARCHAR AS periode WHERE false)")


def reader_options(data_dir):
    """{{DELIM:file}} and {{COLUMNS:file}} for every input, from its header line (BOM dropped), and the roster's
    substitutions: {{PENERIMA}} (the reader, or no rows), {{PERIODE}} (the column, or NULL when the header has
    none: every row in the empty period) and {{HAS_ROSTER}} (false when penerima.csv is absent)."""
    subs = {}
    penerima = os.path.join(data_dir, "penerima.csv")
    subs["{{HAS_ROSTER}}"] = "true" if os.path.exists(penerima) else "false"
    subs["{{PENERIMA}}"] = EMPTY_ROSTER
    subs["{{PERIODE}}"] = "NULL::VARCHAR"
    for name, (required, types) in FILES.items():
        path = os.path.join(data_dir, name + ".csv")
        if name == "penerima" and (not os.path.exists(path) or os.path.getsize(path) == 0):
            continue
        if not os.path.exists(path):
            sys.exit(f"duckdb_contract: {path} is missing")
        with open(path, "rb") as f:
            first = f.readline().decode("utf-8-sig").rstrip("\r\n")
        counts = {d: 0 for d in ",;\t"}
        quoted = False
        for ch in first:
            if ch == '"':
                quoted = not quoted
            elif not quoted and ch in counts:
                counts[ch] += 1
        delim = max(",;\t", key=lambda d: counts[d])   # ties: ',' first
        names = [c.strip().lower() for c in next(csv.reader([first], delimiter=delim))]
        missing = [c for c in required if c not in names]
        if missing:
            sys.exit(f"duckdb_contract: {path}: column(s) {', '.join(missing)} missing from the header")
        seen, cols = set(), []
        for i, c in enumerate(names):
            c = c if c and c not in seen else f"_column{i}"
            seen.add(c)
            cols.append(f"{sql_string(c)}: {sql_string(types.get(c, 'VARCHAR'))}")
        subs["{{DELIM:%s}}" % name] = sql_string(delim)
        subs["{{COLUMNS:%s}}" % name] = "{" + ", ".join(cols) + "}"
        if name == "penerima":
            subs["{{PENERIMA}}"] = ("read_csv('{{DATA}}/penerima.csv', header = true, auto_detect = false, "
                                    "delim = {{DELIM:penerima}}, quote = '\"', escape = '\"', columns = {{COLUMNS:penerima}})")
            if "periode" in names:
                subs["{{PERIODE}}"] = "periode"
    return subs


def sql_literal_path(p):
    return os.path.abspath(p).replace("'", "''")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data_dir")
    ap.add_argument("out_dir")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--memory-limit", default=None, help="DuckDB memory_limit, e.g. 4GB (default: DuckDB's 80%% of RAM)")
    ap.add_argument("--timings", action="store_true", help="print the wall time of every statement to stderr")
    args = ap.parse_args()

    subs = reader_options(args.data_dir)
    os.makedirs(os.path.join(args.out_dir, "data"), exist_ok=True)
    with open(SQL_PATH, encoding="utf-8") as f:
        sql = f.read()
    sql = sql.replace("{{PENERIMA}}", subs.pop("{{PENERIMA}}"))
    sql = sql.replace("{{DATA}}", sql_literal_path(args.data_dir)).replace("{{OUT}}", sql_literal_path(args.out_dir))
    for placeholder, text in subs.items():
        sql = sql.replace(placeholder, text)
    # Statements marked {{IF_ROSTER}} (roster-only outputs) run only when penerima.csv exists.
    has_roster = subs["{{HAS_ROSTER}}"] == "true"
    statements = [st.replace("{{IF_ROSTER}}", "", 1).strip() for st in split_statements(sql)
                  if has_roster or not st.startswith("{{IF_ROSTER}}")]
    stale = os.path.join(args.out_dir, "data", "duplicates.csv")
    if not has_roster and os.path.exists(stale):
        os.remove(stale)

    con = duckdb.connect(":memory:")
    con.execute(f"SET threads = {int(args.threads)}")
    con.execute(f"SET temp_directory = '{sql_literal_path(os.path.join(args.out_dir, '.duckdb_tmp'))}'")
    if args.memory_limit:
        con.execute(f"SET memory_limit = '{args.memory_limit}'")
    start = time.perf_counter()
    for stmt in statements:
        t0 = time.perf_counter()
        con.execute(stmt)
        if args.timings:
            head = " ".join(stmt.split())[:90]
            print(f"{time.perf_counter() - t0:8.3f}s  {head}", file=sys.stderr)
    rejected = {}
    for name in ("keluarga", "anggota"):
        try:
            rejected[name] = con.execute(f"SELECT count(*) FROM rejects_{name}").fetchone()[0]
        except duckdb.Error:
            rejected[name] = 0
    if any(rejected.values()):
        print("duckdb_contract: rows excluded for a family key that is not an integer: "
              + ", ".join(f"{k}.csv {v}" for k, v in rejected.items()), file=sys.stderr)
    if args.timings:
        print(f"{time.perf_counter() - start:8.3f}s  total (duckdb {duckdb.__version__}, {args.threads} threads)",
              file=sys.stderr)


if __name__ == "__main__":
    main()
