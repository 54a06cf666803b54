#!/usr/bin/env python3
"""Spread a `regtab demo` registry (one regency, Muaro Jambi's 155 villages) over many regencies.

    python3 Benchmarks/national_shape.py SRC_MICRODATA OUT_DIR --regencies 50 [--seed 19] [--block 500000]

The national-shape benchmark (issue 19) needs registries of a fixed number of families over 7, 50 or 500
regencies. `regtab demo` writes one regency; this script re-homes each of its families to one of R
synthetic regencies and writes a wilayah.csv with R copies of the 155 villages under valid, distinct codes:
regency k (0-based) is BPS `PPKK` with province PP = 11 + k // 90 and regency KK = 01 + k % 90, the
Kemendagri codes `PP.KK.kk.dddd` to match. A family (with its members, orphan rows and planted defects)
goes to regency crc32(r103,r104,r105,r109,r110) mod R, so at a fixed number of families more regencies
means more, smaller villages (1 M families over 500 regencies: 77,500 villages of ~13 families).
Roster rows (penerima.csv) follow the family of their No. KK (else of their NIK, else a hash), so the joins
by NIK and No. KK are unchanged; their Kemendagri village code is rewritten to the new regency.

anggota.csv is written in an order other than the family file's, as real exports can be: its rows are
shuffled in blocks of BLOCK rows (each block spans dozens of villages and, after re-homing, every
regency), deterministically from SEED. keluarga.csv keeps the demo's order (villages of all regencies
interleaved). NIK and No. KK are not changed (they are unique in the source), so the registry's
duplicates and roster matches are those of the source.
"""
import argparse
import csv
import os
import random
import sys
import zlib

csv.field_size_limit(1 << 20)


def regency_codes(k):
    prov, kab = 11 + k // 90, 1 + k % 90
    return f"{prov:02d}", f"{kab:02d}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("src")
    ap.add_argument("out")
    ap.add_argument("--regencies", type=int, required=True)
    ap.add_argument("--seed", type=int, default=19)
    ap.add_argument("--block", type=int, default=500_000)
    a = ap.parse_args()
    R = a.regencies
    if not 1 <= R <= 90 * 80:
        sys.exit("national_shape.py: --regencies between 1 and 7200")
    os.makedirs(a.out, exist_ok=True)
    codes = [regency_codes(k) for k in range(R)]

    def regency(row):
        return zlib.crc32(",".join(row[2:7]).encode()) % R

    def opener(name, mode):
        return open(os.path.join(a.src if mode == "r" else a.out, name), mode, newline="", encoding="utf-8")

    # Wilayah: R copies of the source villages.
    with opener("wilayah.csv", "r") as f:
        rows = list(csv.reader(f))
    header, villages = rows[0], rows[1:]
    with opener("wilayah.csv", "w") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for k in range(R):
            p, b = codes[k]
            for v in villages:
                v = list(v)
                v[0] = p + b + v[0][4:]
                v[2] = f"{p}.{b}" + v[2][5:]
                v[3] = p + b + v[3][4:]
                v[5] = f"{p}.{b}" + v[5][5:]
                w.writerow(v)

    # No. KK and NIK of the roster, to find their family's regency while reading families and members.
    with opener("penerima.csv", "r") as f:
        r = csv.reader(f)
        ph = next(r)
        inik, ikk = ph.index("nik"), ph.index("no_kk")
        wanted, wanted_kk = set(), set()
        for row in r:
            wanted.add(row[inik])
            wanted_kk.add(row[ikk])
    wanted.discard("")
    wanted_kk.discard("")
    home, home_kk = {}, {}

    with opener("keluarga.csv", "r") as f, opener("keluarga.csv", "w") as g:
        r, w = csv.reader(f), csv.writer(g, lineterminator="\n")
        kh = next(r)
        w.writerow(kh)
        ikk = kh.index("r114")
        for row in r:
            k = regency(row)
            if row[ikk] in wanted_kk:
                home_kk.setdefault(row[ikk], k)
            row[0], row[1] = codes[k]
            w.writerow(row)

    rng = random.Random(a.seed)
    with opener("anggota.csv", "r") as f, opener("anggota.csv", "w") as g:
        r, w = csv.reader(f), csv.writer(g, lineterminator="\n")
        ah = next(r)
        w.writerow(ah)
        inik = ah.index("r402")
        block = []
        for row in r:
            k = regency(row)
            if row[inik] in wanted:
                home.setdefault(row[inik], k)
            row[0], row[1] = codes[k]
            block.append(row)
            if len(block) >= a.block:
                rng.shuffle(block)
                w.writerows(block)
                block = []
        rng.shuffle(block)
        w.writerows(block)
    with opener("penerima.csv", "r") as f, opener("penerima.csv", "w") as g:
        r, w = csv.reader(f), csv.writer(g, lineterminator="\n")
        w.writerow(next(r))
        jnik, jkk, jdesa = ph.index("nik"), ph.index("no_kk"), ph.index("kode_desa_kemendagri")
        for row in r:
            k = home_kk.get(row[jkk])
            if k is None:
                k = home.get(row[jnik])
            if k is None:
                k = zlib.crc32((row[jnik] + row[jkk]).encode()) % R
            if row[jdesa][:5].count(".") == 1:
                p, b = codes[k]
                row[jdesa] = f"{p}.{b}" + row[jdesa][5:]
            w.writerow(row)


if __name__ == "__main__":
    main()
