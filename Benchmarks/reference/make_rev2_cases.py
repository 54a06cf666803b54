#!/usr/bin/env python3
"""Hand-made registries for the revision-2 definitions of the data contract, with hand-counted cells.

    python3 make_rev2_cases.py OUT_DIR [--verify] [--python PY] [--regtab BIN --report DIR]

Writes OUT_DIR/<case>/{keluarga,anggota,wilayah[,penerima]}.csv (contract §1, every column of §1.1/§1.2),
OUT_DIR/<case>/expected.csv (the hand-counted cells: twin rows `table,area_level,area_code,dims,measure,value,
obs_status`, dims joined by `|`; a row with obs_status `absent` says that a table, or with dims `*|roster` the
roster source of targeting, must not be there) and OUT_DIR/<case>/case.txt (what the case holds and why the
values are what they are).

--verify runs both independent implementations on every case (contract_reference.py with this Python,
duckdb_contract.py with --python, default Benchmarks/.venv/bin/python), checks every expected cell in both,
and compares them cell by cell with Benchmarks/compare.py; with --regtab (and --report, a report definition
without disclosure control) regtab's output is checked and compared too. Exit 1 on any mismatch.

The areas (wilayah.csv, the same in every case; real codes from shared/data/wilayah_1505.csv):
    V1 1505010024 Suka Damai  desa       Kemendagri 15.05.05.2015   kecamatan 1505010 Mestong
    V2 1505010032 Tempino     kelurahan  Kemendagri 15.05.05.1009   kecamatan 1505010 Mestong
    V3 1505030001 Puding      desa       Kemendagri 15.05.03.2001   kecamatan 1505030 Kumpeh
"""
import argparse
import csv
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)

V1, V2, V3 = "1505010024", "1505010032", "1505030001"
KEC1, KEC3, KAB = "1505010", "1505030", "1505"
KMD = {V1: "15.05.05.2015", V2: "15.05.05.1009", V3: "15.05.03.2001"}
WILAYAH = [
    ("1505010", "Mestong", "15.05.05", V1, "Suka Damai", KMD[V1], "desa"),
    ("1505010", "Mestong", "15.05.05", V2, "Tempino", KMD[V2], "kelurahan"),
    ("1505030", "Kumpeh", "15.05.03", V3, "Puding", KMD[V3], "desa"),
]

KEL_COLS = ["r101", "r102", "r103", "r104", "r105", "r109", "r110", "r112", "r114", "desil",
            "r301a", "r302", "r303", "r304", "r305", "r306a", "r307a", "r308", "r309a",
            "r501a", "r501b", "r501c"]
ANG_COLS = ["r101", "r102", "r103", "r104", "r105", "r109", "r110", "r401", "r402", "r403",
            "r404", "r405", "r406", "r407", "r408", "r409", "r410", "r412", "r415", "r416a",
            "r417", "r418"] + [f"r428{x}" for x in "abcdefghi"] + ["r430", "r431a", "r431e"]
PEN_COLS = ["program", "nik", "no_kk", "nama", "kode_desa_kemendagri", "periode"]


def nik(i, female=False):
    """A valid NIK: 150505 (kecamatan), day 12 (52 for women), month 05, year 85, serial i."""
    return f"150505{52 if female else 12}0585{i:04d}"


def kk(i):
    return f"1505050101{i:06d}"


def M(n, age, sex=1, rel=3, r404=1, school=None, r431a=0, r431e=2, pregnant=None, nik_=None):
    """A member: n = NIK serial (None = no NIK), sex 1/2, school = r412 (default 3 from age 5, empty below)."""
    return dict(nik=nik_ if nik_ is not None else (nik(n, sex == 2) if n is not None else ""), age=age, sex=sex,
                rel=rel, r404=r404, school=school if school is not None else (3 if age >= 5 else ""),
                r431a=r431a, r431e=r431e, pregnant=pregnant)


def F(desa, serial, desil, members, kk_=None, r501a=2, r501b=2, r501c=2):
    return dict(desa=desa, serial=serial, desil=desil, members=members, kk=kk_ or "", r501a=r501a, r501b=r501b,
                r501c=r501c)


def R(program, nik_="", no_kk="", desa=V1, periode="2022-S1", kmd=None):
    return dict(program=program, nik=nik_, no_kk=no_kk, nama="Penerima", periode=periode,
                kode_desa_kemendagri=kmd if kmd is not None else KMD[desa])


def T(level, code, program, source, **measures):
    """Expected targeting cells: measures given as name=value; a value None means obs_status M."""
    return [("targeting", level, code, f"{program}|{source}", m, v) for m, v in measures.items()]


def D(level, code, program, **measures):
    return [("duplicates", level, code, program, m, v) for m, v in measures.items()]


def P(level, code, sex, persons):
    return [("population_sex", level, code, sex, "persons", persons)]


ALL_LEVELS_V1 = (("desa", V1), ("kecamatan", KEC1), ("kabupaten", KAB))

CASES = []


def case(name, text, families, roster, expected, absent=()):
    CASES.append(dict(name=name, text=text, families=families, roster=roster, expected=expected, absent=absent))


# 1 ------------------------------------------------------------------------------------------------------
case("kelurahan_blt", """
A family in a kelurahan is never BLT_DESA-eligible (rev. 2), even with desil 2; it self-reports BLT Desa
(r501c=1) and is on the BLT_DESA roster, so it is an ineligible recipient in both sources. The same family
in a desa village (V1) is eligible. Both are BPNT-eligible (desil <= 4) and so eligible for ANY. Heads aged
40, no PKH component: not PKH-eligible.
  F1 V2 (kelurahan) desil 2, r501c=1, head NIK nik(1)      roster BLT_DESA nik(1) (links by NIK)
  F2 V1 (desa)      desil 2, r501c=1, head NIK nik(2)      roster BLT_DESA nik(2)
kecamatan 1505010 (and kabupaten): BLT_DESA eligible 1, recipients 2, eligible_recipients 1,
ineligible_recipients 1, coverage 100, inclusion 50.
""", [
    F(V2, 1, 2, [M(1, 40, rel=1)], kk_=kk(1), r501c=1),
    F(V1, 1, 2, [M(2, 40, rel=1)], kk_=kk(2), r501c=1),
], [
    R("BLT_DESA", nik(1), desa=V2), R("BLT_DESA", nik(2), desa=V1),
], (
    T("desa", V2, "BLT_DESA", "registry", families=1, eligible=0, recipients=1, eligible_recipients=0,
      eligible_non_recipients=0, ineligible_recipients=1, coverage_pct=None, exclusion_pct=None, inclusion_pct=100)
    + T("desa", V2, "BLT_DESA", "roster", families=1, eligible=0, recipients=1, eligible_recipients=0,
        eligible_non_recipients=0, ineligible_recipients=1, coverage_pct=None, exclusion_pct=None, inclusion_pct=100)
    + T("desa", V1, "BLT_DESA", "registry", families=1, eligible=1, recipients=1, eligible_recipients=1,
        eligible_non_recipients=0, ineligible_recipients=0, coverage_pct=100, exclusion_pct=0, inclusion_pct=0)
    + T("kecamatan", KEC1, "BLT_DESA", "registry", families=2, eligible=1, recipients=2, eligible_recipients=1,
        eligible_non_recipients=0, ineligible_recipients=1, coverage_pct=100, exclusion_pct=0, inclusion_pct=50)
    + T("kabupaten", KAB, "BLT_DESA", "roster", families=2, eligible=1, recipients=2, eligible_recipients=1,
        eligible_non_recipients=0, ineligible_recipients=1, coverage_pct=100, exclusion_pct=0, inclusion_pct=50)
    + T("desa", V2, "BPNT", "registry", families=1, eligible=1, recipients=0, eligible_non_recipients=1)
    + T("desa", V2, "PKH", "registry", eligible=0)
    + T("desa", V2, "ANY", "registry", families=1, eligible=1, recipients=1, eligible_recipients=1)
    + T("desa", V2, "ANY", "roster", families=1, eligible=1, recipients=1, eligible_recipients=1)
    + D("desa", V2, "BLT_DESA", roster_rows=1, unmatched_rows=0, duplicate_families=0, kk_only_rows=0,
        non_current_nik_rows=0, exclusive_overlap=0)
))

# 2 ------------------------------------------------------------------------------------------------------
case("pbi_persons", """
PBI_JKN counts persons (rev. 2). F1 (desil 5) is a family of four, only the head is PBI-insured (r431a=1);
F2 (desil 7, not eligible) holds one PBI-insured member (r431a=3 = 1+2, odd) and one r431a=99 (unknown,
never a recipient). The roster lists the F1 head's NIK once.
  F1 V1 desil 5: head M45 nik(11) r431a=1; wife F40 nik(12) 0; son 15 nik(13) 0; daughter 10 nik(14) 0
  F2 V1 desil 7: head M50 nik(15) r431a=3; wife F48 nik(16) r431a=99
PBI_JKN registry: persons 6, eligible 4 (F1's members), recipients 2, eligible_recipients 1,
eligible_non_recipients 3, ineligible_recipients 1, coverage 25, exclusion 75, inclusion 50.
PBI_JKN roster: recipients 1 (F1 head), eligible_recipients 1, eligible_non_recipients 3, inclusion 0.
(Revision 1 would have said families 2, eligible 1, recipients 2, coverage 100.)
ANY (family measure): F1 eligible (holds eligible persons; desil 5 is not BPNT), F2 not; registry
recipients 2 (both families hold a self-reported PBI member), roster recipients 1. PIP: desil 5 -> no
eligible person (children in school but desil > 4): coverage M.
""", [
    F(V1, 1, 5, [M(11, 45, rel=1, r431a=1), M(12, 40, sex=2, rel=2), M(13, 15, school=2), M(14, 10, sex=2, school=2)],
      kk_=kk(11)),
    F(V1, 2, 7, [M(15, 50, rel=1, r431a=3), M(16, 48, sex=2, rel=2, r431a=99)], kk_=kk(12)),
], [
    R("PBI_JKN", nik(11)),
], tuple(
    c for lvl, code in ALL_LEVELS_V1 for c in
    T(lvl, code, "PBI_JKN", "registry", persons=6, eligible=4, recipients=2, eligible_recipients=1,
      eligible_non_recipients=3, ineligible_recipients=1, coverage_pct=25, exclusion_pct=75, inclusion_pct=50)
    + T(lvl, code, "PBI_JKN", "roster", persons=6, eligible=4, recipients=1, eligible_recipients=1,
        eligible_non_recipients=3, ineligible_recipients=0, coverage_pct=25, exclusion_pct=75, inclusion_pct=0)
    + T(lvl, code, "ANY", "registry", families=2, eligible=1, recipients=2, eligible_recipients=1,
        eligible_non_recipients=0, ineligible_recipients=1, coverage_pct=100, exclusion_pct=0, inclusion_pct=50)
    + T(lvl, code, "ANY", "roster", families=2, eligible=1, recipients=1, eligible_recipients=1,
        eligible_non_recipients=0, ineligible_recipients=0, coverage_pct=100, exclusion_pct=0, inclusion_pct=0)
    + T(lvl, code, "PIP", "registry", persons=6, eligible=0, recipients=0, coverage_pct=None, inclusion_pct=None)
    + T(lvl, code, "BPNT", "registry", families=2, eligible=0)
    + D(lvl, code, "PBI_JKN", roster_rows=1, duplicate_nik_rows=0, duplicate_families=None, kk_only_rows=0,
        exclusive_overlap=None)
    + P(lvl, code, "_T", 6)
))

# 3 ------------------------------------------------------------------------------------------------------
case("pip_persons", """
PIP counts persons (rev. 2): eligible = current members aged 6-21 still in school (r412=2) of a family with
desil <= 4; recipient (registry) = the member's own r431e=1, whatever the age; roster = the member's NIK.
  F1 V1 desil 3: head M40 nik(21); child M12 school, r431e=1, nik(22); child F17 left school (r412=3), nik(23);
                 child M19 school, r431e=2, nik(24); child F25 school, r431e=1, nik(25)
  roster PIP: nik(24), nik(25)
PIP registry: persons 5, eligible 2 (12, 19), recipients 2 (12, 25), eligible_recipients 1,
eligible_non_recipients 1, ineligible_recipients 1, coverage 50, exclusion 50, inclusion 50.
PIP roster: recipients 2 (19, 25), eligible_recipients 1 (19), eligible_non_recipients 1 (12), ineligible 1 (25).
""", [
    F(V1, 1, 3, [M(21, 40, rel=1), M(22, 12, school=2, r431e=1), M(23, 17, sex=2, school=3),
                 M(24, 19, school=2, r431e=2), M(25, 25, sex=2, school=2, r431e=1)], kk_=kk(21)),
], [
    R("PIP", nik(24)), R("PIP", nik(25, True)),
], tuple(
    c for lvl, code in ALL_LEVELS_V1 for c in
    T(lvl, code, "PIP", "registry", persons=5, eligible=2, recipients=2, eligible_recipients=1,
      eligible_non_recipients=1, ineligible_recipients=1, coverage_pct=50, exclusion_pct=50, inclusion_pct=50)
    + T(lvl, code, "PIP", "roster", persons=5, eligible=2, recipients=2, eligible_recipients=1,
        eligible_non_recipients=1, ineligible_recipients=1, coverage_pct=50, exclusion_pct=50, inclusion_pct=50)
    + T(lvl, code, "PBI_JKN", "registry", persons=5, eligible=5, recipients=0)
    + T(lvl, code, "ANY", "roster", families=1, eligible=1, recipients=1, eligible_recipients=1)
    + D(lvl, code, "PIP", roster_rows=2, duplicate_nik_rows=0, duplicate_families=None)
))

# 4 ------------------------------------------------------------------------------------------------------
case("non_current_nik", """
Roster NIKs of members who died (r404=2) or moved (r404=3) do not link by NIK (rev. 2): each such row is a
non_current_nik_row in the area of the member's family (V1), and links by No. KK if it has one.
  F1 V1 desil 3, No. KK kk(31): head M60 current nik(31) (aged >= 60: PKH component);
                                 F58 died (r404=2) nik(32); M30 moved (r404=3) nik(33)
  F2 V3 desil 8: head M35 nik(34)
  r1 PKH     nik(32), no No. KK, Kemendagri of V3 -> unmatched, placed in V3; non-current in V1
  r2 BPNT    nik(32), No. KK kk(31)              -> links F1 by No. KK only; non-current in V1
  r3 PBI_JKN nik(33), No. KK kk(31)              -> links F1 by No. KK only; non-current in V1;
                                                    names no person: no PBI_JKN roster recipient
duplicates: PKH roster_rows/unmatched_rows 1 in V3, 1505030 and 1505, non_current_nik_rows 1 in V1, 1505010,
1505 (so at the kabupaten both are 1, in different villages); BPNT and PBI_JKN: roster_rows 1, kk_only_rows 1,
non_current_nik_rows 1 in V1, 1505010, 1505. targeting roster in V1: PKH recipients 0 (eligible 1),
BPNT recipients 1, PBI_JKN persons 1 (the dead and moved are not counted), eligible 1, recipients 0;
ANY recipients 1 (linked by No. KK). population_sex V1 persons 1.
""", [
    F(V1, 1, 3, [M(31, 60, rel=1), M(32, 58, sex=2, rel=2, r404=2), M(33, 30, rel=3, r404=3)], kk_=kk(31)),
    F(V3, 1, 8, [M(34, 35, rel=1)], kk_=kk(32)),
], [
    R("PKH", nik(32, True), desa=V3), R("BPNT", nik(32, True), kk(31)), R("PBI_JKN", nik(33), kk(31)),
], (
    D("desa", V1, "PKH", roster_rows=0, unmatched_rows=0, kk_only_rows=0, non_current_nik_rows=1)
    + D("desa", V3, "PKH", roster_rows=1, unmatched_rows=1, kk_only_rows=0, non_current_nik_rows=0)
    + D("kecamatan", KEC1, "PKH", roster_rows=0, non_current_nik_rows=1)
    + D("kecamatan", KEC3, "PKH", roster_rows=1, unmatched_rows=1, non_current_nik_rows=0)
    + D("kabupaten", KAB, "PKH", roster_rows=1, unmatched_rows=1, non_current_nik_rows=1, invalid_nik_rows=0)
    + list(c for lvl, code in ALL_LEVELS_V1 for p in ("BPNT", "PBI_JKN") for c in
            D(lvl, code, p, roster_rows=1, unmatched_rows=0, kk_only_rows=1, non_current_nik_rows=1,
              duplicate_nik_rows=0))
    + D("kabupaten", KAB, "_T", multi_family_nik=0)
    + T("desa", V1, "PKH", "roster", families=1, eligible=1, recipients=0, eligible_non_recipients=1)
    + T("desa", V1, "BPNT", "roster", families=1, eligible=1, recipients=1, eligible_recipients=1)
    + T("desa", V1, "PBI_JKN", "roster", persons=1, eligible=1, recipients=0, eligible_recipients=0,
        eligible_non_recipients=1, ineligible_recipients=0, coverage_pct=0, exclusion_pct=100, inclusion_pct=None)
    + T("desa", V1, "ANY", "roster", families=1, eligible=1, recipients=1, eligible_recipients=1)
    + T("desa", V3, "PKH", "roster", families=1, eligible=0, recipients=0)
    + P("desa", V1, "_T", 1)
))

# 5 ------------------------------------------------------------------------------------------------------
case("periods", """
Duplicates are counted within one periode (rev. 2); an empty periode is a period of its own.
  F1 V1 desil 2: head F35 nik(41), son 3        PKH rows: nik(41) 2022-S1, nik(41) 2022-S2  -> no duplicate
  F2 V1 desil 2: head M40 nik(42), daughter 5   PKH rows: nik(42) 2022-S1 twice             -> 1 duplicate row, F2
  F3 V1 desil 2: head M33 nik(43), son 2        PKH rows: nik(43) "", nik(43) "", nik(43) 2022-S1
                                                                                              -> 1 duplicate row, F3
duplicates PKH (V1, 1505010, 1505): roster_rows 7, duplicate_nik_rows 2, duplicate_families 2 (F2, F3).
(Revision 1 would have said duplicate_nik_rows 4, duplicate_families 3.) targeting PKH roster: eligible 3
(desil 2, child <= 6), recipients 3, coverage 100.
""", [
    F(V1, 1, 2, [M(41, 35, sex=2, rel=1), M(None, 3)], kk_=kk(41)),
    F(V1, 2, 2, [M(42, 40, rel=1), M(None, 5, sex=2, school=2)], kk_=kk(42)),
    F(V1, 3, 2, [M(43, 33, rel=1), M(None, 2)], kk_=kk(43)),
], [
    R("PKH", nik(41, True), periode="2022-S1"), R("PKH", nik(41, True), periode="2022-S2"),
    R("PKH", nik(42), periode="2022-S1"), R("PKH", nik(42), periode="2022-S1"),
    R("PKH", nik(43), periode=""), R("PKH", nik(43), periode=""), R("PKH", nik(43), periode="2022-S1"),
], tuple(
    c for lvl, code in ALL_LEVELS_V1 for c in
    D(lvl, code, "PKH", roster_rows=7, unmatched_rows=0, invalid_nik_rows=0, duplicate_nik_rows=2,
      duplicate_families=2, kk_only_rows=0, non_current_nik_rows=0, exclusive_overlap=None)
    + T(lvl, code, "PKH", "roster", families=3, eligible=3, recipients=3, eligible_recipients=3, coverage_pct=100)
))

# 6 ------------------------------------------------------------------------------------------------------
case("kk_only", """
Rows without a NIK that link by No. KK (rev. 2: kk_only_rows). A family programme's family is a roster
recipient; a person programme's row names nobody, so no PIP roster recipient.
  F1 V1 desil 4, No. KK kk(51), r501a=1: head M42 nik(51); daughter F12 in school, r431e=1, nik(52)
  rows: BPNT, no NIK, No. KK kk(51); PIP, no NIK, No. KK kk(51)
duplicates (V1, 1505010, 1505): BPNT and PIP roster_rows 1, kk_only_rows 1, unmatched 0, invalid 0.
targeting: BPNT roster recipients 1 (eligible 1); PIP roster persons 2, eligible 1, recipients 0,
eligible_non_recipients 1, coverage 0, exclusion 100, inclusion M; PIP registry recipients 1 (the
daughter's own r431e), coverage 100; ANY roster recipients 1.
""", [
    F(V1, 1, 4, [M(51, 42, rel=1), M(52, 12, sex=2, school=2, r431e=1)], kk_=kk(51), r501a=1),
], [
    R("BPNT", "", kk(51)), R("PIP", "", kk(51)),
], tuple(
    c for lvl, code in ALL_LEVELS_V1 for c in
    D(lvl, code, "BPNT", roster_rows=1, unmatched_rows=0, invalid_nik_rows=0, duplicate_families=0, kk_only_rows=1)
    + D(lvl, code, "PIP", roster_rows=1, unmatched_rows=0, invalid_nik_rows=0, kk_only_rows=1)
    + T(lvl, code, "BPNT", "roster", families=1, eligible=1, recipients=1, eligible_recipients=1)
    + T(lvl, code, "PIP", "roster", persons=2, eligible=1, recipients=0, eligible_recipients=0,
        eligible_non_recipients=1, ineligible_recipients=0, coverage_pct=0, exclusion_pct=100, inclusion_pct=None)
    + T(lvl, code, "PIP", "registry", persons=2, eligible=1, recipients=1, eligible_recipients=1, coverage_pct=100)
    + T(lvl, code, "ANY", "roster", families=1, eligible=1, recipients=1)
))

# 7 ------------------------------------------------------------------------------------------------------
case("no_nik_roster", """
A roster whose nik cells are all empty: rows link by No. KK or are unmatched; empty NIKs are not invalid and
never duplicates of each other.
  F1 V1 desil 1, kk(61): head M30 nik(61); wife F28 pregnant (r410=1) nik(62)
  F2 V2 (kelurahan) desil 1, kk(62): head M30 nik(63)
  rows (all nik empty): PKH kk(61); PKH no No. KK, Kemendagri V1 (unmatched, V1); PKH no No. KK, Kemendagri V1;
        PBI_JKN kk(61); BLT_DESA kk(62); BLT_DESA no No. KK, Kemendagri 99.99.99.9999 (unknown: no area)
duplicates: PKH V1 roster_rows 3, unmatched 2, kk_only 1, invalid 0, duplicate_nik_rows 0, duplicate_families 0;
PBI_JKN V1 roster_rows 1, kk_only 1; BLT_DESA V2 roster_rows 1, kk_only 1; BLT_DESA kabupaten roster_rows 1
(the unknown-village row is counted nowhere), unmatched 0.
targeting roster: PKH V1 eligible 1 (pregnant), recipients 1; PBI_JKN V1 persons 2, eligible 2,
recipients 0; BLT_DESA V2 eligible 0, recipients 1, ineligible 1, inclusion 100; BLT_DESA 1505010 eligible 1
(F1), recipients 1 (F2), eligible_recipients 0, coverage 0, exclusion 100, inclusion 100; ANY 1505010
families 2, eligible 2, recipients 2.
""", [
    F(V1, 1, 1, [M(61, 30, rel=1), M(62, 28, sex=2, rel=2, pregnant=1)], kk_=kk(61)),
    F(V2, 1, 1, [M(63, 30, rel=1)], kk_=kk(62)),
], [
    R("PKH", "", kk(61)), R("PKH", "", "", desa=V1), R("PKH", "", "", desa=V1), R("PBI_JKN", "", kk(61)),
    R("BLT_DESA", "", kk(62), desa=V2), R("BLT_DESA", "", "", kmd="99.99.99.9999"),
], (
    D("desa", V1, "PKH", roster_rows=3, unmatched_rows=2, invalid_nik_rows=0, duplicate_nik_rows=0,
      duplicate_families=0, kk_only_rows=1, non_current_nik_rows=0)
    + D("desa", V1, "PBI_JKN", roster_rows=1, unmatched_rows=0, kk_only_rows=1, duplicate_families=None)
    + D("desa", V2, "BLT_DESA", roster_rows=1, unmatched_rows=0, kk_only_rows=1, exclusive_overlap=0)
    + D("kabupaten", KAB, "BLT_DESA", roster_rows=1, unmatched_rows=0, kk_only_rows=1)
    + T("desa", V1, "PKH", "roster", families=1, eligible=1, recipients=1, eligible_recipients=1)
    + T("desa", V1, "PBI_JKN", "roster", persons=2, eligible=2, recipients=0, coverage_pct=0)
    + T("desa", V2, "BLT_DESA", "roster", families=1, eligible=0, recipients=1, ineligible_recipients=1,
        inclusion_pct=100, coverage_pct=None)
    + T("kecamatan", KEC1, "BLT_DESA", "roster", families=2, eligible=1, recipients=1, eligible_recipients=0,
        eligible_non_recipients=1, ineligible_recipients=1, coverage_pct=0, exclusion_pct=100, inclusion_pct=100)
    + T("kecamatan", KEC1, "ANY", "roster", families=2, eligible=2, recipients=2, eligible_recipients=2)
))

# 8, 9 ---------------------------------------------------------------------------------------------------
SMALL = [
    F(V1, 1, 3, [M(81, 38, rel=1), M(None, 4)], kk_=kk(81), r501a=1),
    F(V2, 1, 3, [M(82, 44, rel=1, r431a=1)], kk_=kk(82)),
]
case("no_penerima", """
No penerima.csv (rev. 2): targeting has source `registry` rows only and there is no duplicates table.
  F1 V1 desil 3, r501a=1: head M38 nik(81), child 4      F2 V2 (kelurahan) desil 3: head M44 nik(82), r431a=1
targeting registry 1505010: BPNT eligible 2, recipients 1; BLT_DESA eligible 1 (V1 only); PBI_JKN persons 3,
eligible 3, recipients 1; ANY eligible 2, recipients 2.
""", SMALL, None, (
    T("kecamatan", KEC1, "BPNT", "registry", families=2, eligible=2, recipients=1, eligible_recipients=1)
    + T("kecamatan", KEC1, "BLT_DESA", "registry", families=2, eligible=1, recipients=0)
    + T("kecamatan", KEC1, "PBI_JKN", "registry", persons=3, eligible=3, recipients=1, eligible_recipients=1)
    + T("kecamatan", KEC1, "ANY", "registry", families=2, eligible=2, recipients=2, eligible_recipients=2)
), absent=("duplicates", "targeting roster"))

case("empty_penerima", """
penerima.csv with a header and no rows (rev. 2): a supplied, empty roster; its zeros are published.
Same registry as no_penerima.
targeting roster 1505010: BPNT eligible 2, recipients 0, eligible_non_recipients 2, coverage 0;
PBI_JKN persons 3, eligible 3, recipients 0, inclusion M. duplicates: every count 0 (multi_family_nik 0).
""", SMALL, [], (
    T("kecamatan", KEC1, "BPNT", "roster", families=2, eligible=2, recipients=0, eligible_non_recipients=2,
      coverage_pct=0, inclusion_pct=None)
    + T("kecamatan", KEC1, "PBI_JKN", "roster", persons=3, eligible=3, recipients=0, inclusion_pct=None)
    + T("kecamatan", KEC1, "BPNT", "registry", recipients=1)
    + D("kabupaten", KAB, "PKH", roster_rows=0, unmatched_rows=0, invalid_nik_rows=0, duplicate_nik_rows=0,
        duplicate_families=0, kk_only_rows=0, non_current_nik_rows=0, exclusive_overlap=None)
    + D("kabupaten", KAB, "BLT_DESA", exclusive_overlap=0)
    + D("kabupaten", KAB, "_T", multi_family_nik=0)
))


# ------------------------------------------------------------------------------------------------------ writing
def write_csv(path, cols, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(cols)
        w.writerows(rows)


def write_case(out, c):
    d = os.path.join(out, c["name"])
    os.makedirs(d, exist_ok=True)
    for stale in ("penerima.csv",):
        if os.path.exists(os.path.join(d, stale)):
            os.remove(os.path.join(d, stale))
    write_csv(os.path.join(d, "wilayah.csv"), ["kode_kecamatan", "nama_kecamatan", "kode_kecamatan_kemendagri",
                                               "kode_desa", "nama_desa", "kode_desa_kemendagri", "jenis"], WILAYAH)
    kel, ang = [], []
    for f in c["families"]:
        desa = f["desa"]
        key = [desa[0:2], desa[2:4], desa[4:7], desa[7:10], "000100", str(f["serial"]), "1"]
        kel.append(key + [str(len(f["members"])), f["kk"], str(f["desil"]), "1", "36", "2", "1", "2", "3", "1",
                          "4", "1", str(f["r501a"]), str(f["r501b"]), str(f["r501c"])])
        for i, m in enumerate(f["members"], start=1):
            age = m["age"]
            adult = age >= 15
            ang.append(key + [str(i), f"Anggota {f['serial']}-{i}", m["nik"], str(m["r404"]), str(m["sex"]), "",
                              str(age), "2" if adult else "1", str(m["rel"]),
                              str(m["pregnant"] or (2 if m["sex"] == 2 and adult else "")), str(m["school"]),
                              "" if age < 5 else "05", "" if age < 5 else "2", "", ""]
                       + ["4"] * 9 + ["01", str(m["r431a"]), str(m["r431e"])])
    write_csv(os.path.join(d, "keluarga.csv"), KEL_COLS, kel)
    write_csv(os.path.join(d, "anggota.csv"), ANG_COLS, ang)
    if c["roster"] is not None:
        write_csv(os.path.join(d, "penerima.csv"), PEN_COLS, [[r[k] for k in PEN_COLS] for r in c["roster"]])
    exp = []
    for table, lvl, code, dims, measure, value in c["expected"]:
        exp.append([table, lvl, code, dims, measure, "" if value is None else str(value), "M" if value is None else ""])
    for a in c["absent"]:
        if a == "targeting roster":
            exp.append(["targeting", "*", "*", "*|roster", "*", "", "absent"])
        else:
            exp.append([a, "*", "*", "*", "*", "", "absent"])
    write_csv(os.path.join(d, "expected.csv"), ["table", "area_level", "area_code", "dims", "measure", "value",
                                                "obs_status"], exp)
    with open(os.path.join(d, "case.txt"), "w", encoding="utf-8") as f:
        f.write(f"{c['name']}\n{c['text'].strip()}\n")
    return d


# ------------------------------------------------------------------------------------------------------ checking
def read_twins(out):
    cells, tables = {}, set()
    ddir = os.path.join(out, "data")
    for name in sorted(os.listdir(ddir)) if os.path.isdir(ddir) else []:
        if not name.endswith(".csv"):
            continue
        tables.add(name[:-4])
        with open(os.path.join(ddir, name), newline="", encoding="utf-8-sig") as f:
            for row in list(csv.reader(f))[1:]:
                cells[(row[0], row[1], row[2], "|".join(row[3:-3]), row[-3])] = (row[-2], row[-1])
    return cells, tables


def same(a, b):
    if a == b:
        return True
    try:
        return abs(float(a) - float(b)) <= 1e-6
    except ValueError:
        return False


def check(case_dir, out, label):
    cells, tables = read_twins(out)
    bad = 0
    with open(os.path.join(case_dir, "expected.csv"), newline="", encoding="utf-8") as f:
        for e in csv.DictReader(f):
            if e["obs_status"] == "absent":
                if e["dims"] == "*|roster":
                    hit = [k for k in cells if k[0] == e["table"] and k[3].endswith("|roster")]
                    ok = not hit
                else:
                    ok = e["table"] not in tables
                if not ok:
                    bad += 1
                    print(f"  {label}: {e['table']} {e['dims']} should be absent")
                continue
            key = (e["table"], e["area_level"], e["area_code"], e["dims"], e["measure"])
            got = cells.get(key)
            if got is None or got[1] != e["obs_status"] or not same(got[0], e["value"]):
                bad += 1
                print(f"  {label}: {','.join(key)}: expected {e['value']!r}/{e['obs_status'] or '-'}, got {got}")
    return bad


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        print(f"  FAILED: {' '.join(cmd)}\n{p.stdout}{p.stderr}")
    return p.returncode, p.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir")
    ap.add_argument("--verify", action="store_true")
    ap.add_argument("--python", default=os.path.join(BENCH, ".venv", "bin", "python"),
                    help="a Python with duckdb for duckdb_contract.py")
    ap.add_argument("--regtab", help="regtab binary: also check and compare regtab (needs --report)")
    ap.add_argument("--report", help="report definition for regtab (without disclosure control)")
    a = ap.parse_args()
    failures = 0
    for c in CASES:
        d = write_case(a.out_dir, c)
        n = sum(1 for _ in open(os.path.join(d, "expected.csv"))) - 1
        print(f"{c['name']:18} {len(c['families'])} families, "
              f"{'no penerima.csv' if c['roster'] is None else str(len(c['roster'])) + ' roster rows'}, "
              f"{n} expected cells")
        if not a.verify:
            continue
        outs = {"reference": os.path.join(d, "out-reference"), "duckdb": os.path.join(d, "out-duckdb")}
        rc, _ = run([sys.executable, os.path.join(HERE, "contract_reference.py"), d, outs["reference"]])
        failures += rc != 0
        rc, _ = run([a.python, os.path.join(BENCH, "duckdb_contract.py"), d, outs["duckdb"]])
        failures += rc != 0
        if a.regtab:
            outs["regtab"] = os.path.join(d, "out-regtab")
            rc, _ = run([a.regtab, "run", a.report, "--data", d, "--out", outs["regtab"], "--allow-errors"])
            failures += rc != 0
        for label, o in outs.items():
            failures += check(d, o, label)
        for label, o in outs.items():
            if label == "reference":
                continue
            rc, text = run([sys.executable, os.path.join(BENCH, "compare.py"), outs["reference"], o])
            failures += rc != 0
            print(f"  reference vs {label}: {text.strip().splitlines()[-1] if text.strip() else 'failed'}")
    if a.verify:
        print("all expected cells found, implementations agree" if not failures else f"{failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
