"""Checks report.xlsx the way its users open it: read back by openpyxl and converted to CSV by LibreOffice
headless, every numeric cell of every table sheet compared with the table's CSV twin (data/<table>.csv).

Run through .ci/check-xlsx, which provides the tools. A sheet is matched to its twin by the table id in its
name ("3.1.1 population_sex"; targeting_* and duplicates_* sheets to targeting.csv and duplicates.csv).

How a cell is compared. A body row whose stub names an area (a village of wilayah.csv under its kecamatan
heading, a kecamatan, "Jumlah <kecamatan>", the regency total) is tied to that area's twin rows. A column is
then right when one twin cell key (dimension codes + measure) gives every one of its cells: the number (to
the twin's six decimals) or, for "x" and "…", a confidential or not-applicable twin cell. Rows whose stub is
not an area (age groups, programmes) are checked value by value: each number must be a published value of
the twin. The ranking sheets ("Village (Kec. Kecamatan)") have no twin of their own and are compared with all
twins. Prints one line per mismatch and a summary; exit code 0 when every cell agreed.
"""
import argparse
import csv
import glob
import os
import re
import subprocess
import sys
import tempfile

import openpyxl

SYMBOLS = {"x", "\u2026"}   # confidential, not applicable (CellSymbols.swift); "-" is a zero


def read_twin(path):
    """{area_code: {(dims..., measure): float | 'SYM'}} and the set of published values."""
    by_area, values = {}, []
    with open(path, newline="", encoding="utf-8") as f:
        rows = csv.reader(f)
        header = next(rows)
        dims = header[3:-3]
        for r in rows:
            rec = dict(zip(header, r))
            key = tuple(rec[d] for d in dims) + (rec["measure"],)
            value = "SYM" if rec["obs_status"] or rec["value"] == "" else float(rec["value"])
            by_area.setdefault(rec["area_code"], {})[key] = value
            if value != "SYM":
                values.append(value)
    return by_area, sorted(values)


def same(cell, twin):
    if cell == "DASH":      # "-": nil or zero
        return twin == "SYM" or twin == 0
    if twin == "SYM" or cell == "SYM":
        return cell == twin
    return abs(cell - twin) <= 5e-7 + 1e-9 * abs(twin)


def cell_value(v):
    """A sheet cell as a number, 'SYM', or None (blank or text)."""
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, (int, float)):
        return float(v)
    s = str(v).strip()
    if s in SYMBOLS:
        return "SYM"
    if s == "-":
        return "DASH"
    try:
        return float(s)
    except ValueError:
        return None


class Areas:
    """Area names from wilayah.csv: villages per kecamatan, kecamatans, the regency code."""

    def __init__(self, path):
        self.villages, self.kecamatans, self.kabupaten = {}, {}, None
        if not path or not os.path.exists(path):
            return
        with open(path, newline="", encoding="utf-8-sig") as f:
            for r in csv.DictReader(f):
                kec = r["kode_kecamatan"].strip()
                self.kecamatans[r["nama_kecamatan"].strip()] = kec
                self.villages.setdefault(kec, {})[r["nama_desa"].strip()] = r["kode_desa"].strip()
                self.kabupaten = r["kode_desa"].strip()[:4]

    def resolve(self, label, current_kecamatan):
        """(area code, kecamatan context) for a stub label, or (None, context)."""
        if label is None:
            return None, current_kecamatan
        parts = [p.strip() for p in re.split(r"\s+/\s+|\n", str(label)) if p.strip()]
        for p in parts:
            if current_kecamatan and p in self.villages.get(current_kecamatan, {}):
                return self.villages[current_kecamatan][p], current_kecamatan
            m = re.match(r"^(.*) \(Kec\. (.*)\)$", p)     # a ranking row: "Sido Mukti (Kec. Sungai Gelam)"
            if m and m.group(2) in self.kecamatans:
                code = self.villages.get(self.kecamatans[m.group(2)], {}).get(m.group(1))
                if code:
                    return code, current_kecamatan
        for p in parts:
            if p in self.kecamatans:
                return self.kecamatans[p], self.kecamatans[p]
            m = re.match(r"^(?:Jumlah|Total)\s+(.*)$", p)
            if m:
                name = m.group(1).strip()
                if name in self.kecamatans:
                    return self.kecamatans[name], current_kecamatan
                if re.match(r"^(Kabupaten\b|.*\bRegency$)", name):
                    return self.kabupaten, current_kecamatan
        if all(p in ("Jumlah", "Total") for p in parts) and parts:
            return self.kabupaten, current_kecamatan
        return None, current_kecamatan


def twin_for(sheet, twins):
    """The twin of a table sheet ('3.1.1 population_sex'), or None to compare with every twin."""
    table = sheet.split(" ", 1)[1] if " " in sheet else sheet
    if table in twins:
        return table
    prefixes = [t for t in twins if table.startswith(t + "_") or t.startswith(table)]
    return max(prefixes, key=len) if prefixes else None


def check_sheet(name, grid, twin, areas, label):
    """Mismatch messages for one sheet (grid = list of rows of raw cells)."""
    by_area, published = twin
    problems = []
    area_rows, other_cells = [], []
    kecamatan = None
    for i, row in enumerate(grid):
        cells = [cell_value(v) for v in row[1:]]
        if not any(c is not None for c in cells):
            _, kecamatan = areas.resolve(row[0] if row else None, kecamatan)   # a kecamatan heading row
            continue
        code, kecamatan = areas.resolve(row[0], kecamatan)
        if code is not None and code in by_area:
            area_rows.append((i, code, cells))
        else:
            other_cells += [(i, j, c) for j, c in enumerate(cells) if isinstance(c, float)]
    columns = max((len(c) for _, _, c in area_rows), default=0)
    for j in range(columns):
        column = [(i, code, cells[j]) for i, code, cells in area_rows if j < len(cells) and cells[j] is not None]
        if not column:
            continue
        keys = None
        for i, code, v in column:
            matching = {k for k, t in by_area[code].items() if same(v, t)}
            keys = matching if keys is None else keys & matching
            if not keys:
                break
        if keys:
            continue
        # No twin cell gives the whole column: name the cells that disagree with the best key.
        counts = {}
        for i, code, v in column:
            for k, t in by_area[code].items():
                if same(v, t):
                    counts[k] = counts.get(k, 0) + 1
        best = max(counts, key=counts.get) if counts else None
        for i, code, v in column:
            t = by_area[code].get(best) if best else None
            if best is None or t is None or not same(v, t):
                problems.append(f"{label}: sheet '{name}' cell {openpyxl.utils.get_column_letter(j + 2)}{i + 1} "
                                f"(area {code}) is {v}; the twin has {t} for {best}")
    import bisect
    for i, j, v in other_cells:
        k = bisect.bisect_left(published, v - 1e-6)
        if not (k < len(published) and same(v, published[k])):
            problems.append(f"{label}: sheet '{name}' cell {openpyxl.utils.get_column_letter(j + 2)}{i + 1} "
                            f"is {v}, which is no published value of its twin")
    strict = sum(1 for _, _, c in area_rows for v in c if v is not None)
    return problems, strict, len(other_cells)


def openpyxl_grids(path):
    wb = openpyxl.load_workbook(path, data_only=True)
    return {n: [list(r) for r in wb[n].iter_rows(values_only=True)] for n in wb.sheetnames}


def libreoffice_grids(path, soffice, sheetnames):
    """Every sheet through `soffice --headless --convert-to csv` (one file per sheet, raw values)."""
    out = tempfile.mkdtemp(prefix="check-xlsx-")
    profile = tempfile.mkdtemp(prefix="check-xlsx-profile-")
    # Filter options: comma, double quote, UTF-8, first line 1, …, 'as shown' off (raw values), sheet -1 = all.
    target = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
    r = subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", target,
                        "--outdir", out, path], capture_output=True, text=True, timeout=300)
    stem = os.path.splitext(os.path.basename(path))[0]
    grids = {}
    for name in sheetnames:
        f = os.path.join(out, f"{stem}-{name}.csv")
        if os.path.exists(f):
            with open(f, newline="", encoding="utf-8") as h:
                grids[name] = [[c if c != "" else None for c in row] for row in csv.reader(h)]
    if not grids:
        sys.exit(f"check-xlsx: LibreOffice wrote no CSV ({r.returncode}): {r.stdout}{r.stderr}")
    return grids


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("directory", help="a regtab output folder (report.xlsx, data/)")
    parser.add_argument("--wilayah", help="wilayah.csv for the area names (default: DIR/microdata/wilayah.csv)")
    parser.add_argument("--soffice", default="soffice")
    args = parser.parse_args()
    book = os.path.join(args.directory, "report.xlsx")
    twins = {os.path.basename(p)[:-4]: read_twin(p) for p in glob.glob(os.path.join(args.directory, "data", "*.csv"))}
    if not os.path.exists(book) or not twins:
        sys.exit(f"check-xlsx: no report.xlsx or data/*.csv in {args.directory}")
    # Sheets without a twin of their own (the rankings) against every twin, keys prefixed with the table id.
    merged = {}
    for table, (by_area, _) in twins.items():
        for code, cells in by_area.items():
            merged.setdefault(code, {}).update({(table,) + k: v for k, v in cells.items()})
    every = (merged, sorted(v for _, vals in twins.values() for v in vals))
    areas = Areas(args.wilayah or os.path.join(args.directory, "microdata", "wilayah.csv"))
    if not areas.kabupaten:
        print("check-xlsx: no wilayah.csv: every cell is checked as a published value of its twin only")

    failures = 0
    readers = [("openpyxl", openpyxl_grids(book))]
    readers.append(("LibreOffice", libreoffice_grids(book, args.soffice, list(readers[0][1]))))
    for label, grids in readers:
        sheets, cells, by_value = 0, 0, 0
        for name, grid in grids.items():
            if not name[:1].isdigit():
                continue      # cover, briefing, charts, notes
            table = twin_for(name, twins)
            problems, strict, loose = check_sheet(name, grid, twins[table] if table else every, areas, label)
            for p in problems[:20]:
                print(p)
            if len(problems) > 20:
                print(f"{label}: sheet '{name}': {len(problems) - 20} more")
            failures += len(problems)
            sheets += 1
            cells += strict + loose
            by_value += loose
        expected = sum(1 for n in readers[0][1] if n[:1].isdigit())
        if sheets != expected or cells == 0:
            print(f"{label}: read {sheets} table sheet(s) of {expected}")
            failures += 1
        print(f"{label}: {cells} cells in {sheets} table sheets compared with their twins "
              f"({cells - by_value} by area and twin cell, {by_value} by value)")
    print("check-xlsx: " + ("OK" if failures == 0 else f"FAILED ({failures} problem(s))"))
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
