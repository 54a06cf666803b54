#!/usr/bin/env python3
"""Independent reference implementation of the regtab data contract (Regsosek profile).

Written from /work/shared/data-contract.md alone (regtab's Swift sources not consulted), revision 2.
Produces data/<table>.csv for the five core tables:
    population_sex, population_age_sex, families_desil, targeting, duplicates
(without penerima.csv: targeting with source `registry` only, and no duplicates table).

Usage: python3 contract_reference.py DATA_DIR OUT_DIR

DECISIONS where the contract is silent (or where the brief fixed a convention)
------------------------------------------------------------------------------
Reading
 D1  Encoding UTF-8, optional BOM removed. Delimiter chosen from the header line: the more frequent
     of ',' and ';' outside quotes (tie -> ','). CRLF / quoted fields handled by the csv module.
 D2  Header names are trimmed and lower-cased. Every cell is trimmed; empty after trim = missing.
 D3  A "code" is valid only if it is an integer digit string (leading zeros ignored: "01" == "1").
     Anything else ("x", "1.0", "-1", " ") is missing/invalid.
 D4  Area parts r101/r102/r103/r104 are parsed as integers and zero-padded to 2/2/3/3 digits;
     a part that does not fit its width (or is missing/non-numeric) makes kode_desa invalid.
 D5  Family key = (r101..r104 as integers, r105, r109, r110 as integers; a non-numeric key part is
     kept as its trimmed text). Members join families on the same normalised key.
Families and members
 D6  Duplicate family keys: the first row is kept, later rows are dropped (members attach to the kept
     family). Families whose kode_desa is not in wilayah.csv are excluded with their members.
     Dropped/excluded families and orphan members (no family) are not in any table and do not take
     part in NIK linking or in multi_family_nik.
 D7  Current member = r404 in {1,4} (r404 empty/invalid -> not current). Member rows are not
     de-duplicated on r401.
 D8  r405 valid codes {1,2}; anything else (empty, 3, text) -> _Z.
 D9  Age = r407 integer 0..98 (the contract's range); empty, text, or outside 0..98 (99, 120) -> _Z
     in tables and "unknown" for eligibility (so it satisfies no age condition). r406 is NOT used to
     impute a missing age.
 D10 desil valid 1..10; anything else (empty, 0, 11, "x") -> _Z = not ranked -> never eligible.
 D11 families measure (population_sex at r405=_T, families_desil, targeting `families`) counts all
     valid families in the area, including families with no current member.
Eligibility / recipients
 D12 "aged <= 6", "aged 6-21", "aged >= 60" are inclusive bounds on r407. Disability: any of
     r428a..r428i in {1,2}. All member conditions use current members only.
 D13 PBI_JKN registry: a current member whose r431a is an odd integer other than 99 (contract text
     taken literally: an out-of-range odd code such as 17 counts; 099 == 99 is excluded).
 D14 ANY: eligible for any of the five contract programmes; recipient of any of the five (per
     source). Roster-only programmes never enter ANY. (Rev. 2 wording kept: see D27.)
NIK / linking
 D15 Valid NIK: exactly 16 ASCII digits after trimming, not all the same digit, digits 7-8 (day)
     in 1..31 or 41..71 (the +40 female form is accepted regardless of r405 since rosters carry no
     sex), digits 9-10 (month) in 1..12. No calendar check (e.g. 31 Feb passes), no zero-padding.
 D16 No. KK matching: trimmed string equality of roster no_kk with family r114 (no validation,
     no zero padding); empty never matches.
 D17 Roster programme names trimmed; a case-insensitive match to PKH/BPNT/BLT_DESA/PBI_JKN/PIP takes
     the contract spelling; other names kept verbatim (case-sensitive). Rows with an empty
     programme name are ignored entirely.
 D18 Unmatched row placement: kode_desa_kemendagri with dots -> each segment zero-padded to 2.2.2.4;
     without dots -> must be 10 digits. Compared with wilayah's Kemendagri code (dots removed).
     Unknown / empty code -> the row counts in no area (kabupaten included).
 D19 (superseded by rev. 2, see D31) Rows in several periods are separate rows; periode is used only
     by duplicate_nik_rows and duplicate_families.
 D20 duplicate_nik_rows per area = (rows placed in area with valid NIK) - (distinct (periode, valid
     NIK) pairs among them), per programme (rev. 2). A row linked to families in several areas counts once in each of those
     areas and once in each higher area containing any of them (roster_rows, invalid_nik_rows,
     duplicate_nik_rows alike).
 D21 duplicate_families: valid families in the area linked (by NIK or KK) to >= 2 rows of the
     programme with the same periode (rev. 2; a row linked to the family via two members counts once).
 D22 exclusive_overlap: families in the area that are roster recipients of BLT_DESA and of PKH or BPNT.
 D23 multi_family_nik: valid families holding a current member whose valid NIK is also held by a
     current member of another valid family (same NIK twice inside one family does not count).
Output
 D24 All areas of wilayah.csv at the three levels, even when all counts are zero. Kabupaten = first 4
     digits of kode_desa, kecamatan = first 7.
 D25 Counts written as integers; rates (x100) as Python repr of the float; zero denominator -> empty
     value, obs_status M. No suppression (C) is applied.
 D26 targeting: programmes PKH,BPNT,BLT_DESA,PBI_JKN,PIP,ANY + roster-only names (sorted) x source
     registry/roster x 9 measures (first measure `persons` for PBI_JKN and PIP, else `families`);
     roster-only: families (both sources) and recipients (roster) valued, everything else M.
     duplicates: five programmes + roster-only (sorted) with 8 measures in the rev. 2 order
     roster_rows, unmatched_rows, invalid_nik_rows, duplicate_nik_rows, duplicate_families,
     kk_only_rows, non_current_nik_rows, exclusive_overlap (duplicate_families valued only for
     PKH/BPNT/BLT_DESA, exclusive_overlap only for BLT_DESA, else empty value with status M), then
     _T with multi_family_nik only.
Revision 2
 D27 ANY (family measure): eligible = eligible for PKH, BPNT or BLT_DESA, or holding an eligible
     person of PBI_JKN or PIP. So a desil-5 family with no current member is no longer eligible for
     ANY (rev. 1: PBI_JKN family eligibility was desil <= 5 alone). Registry recipient = r501a/b/c = 1
     or a current member's own PBI_JKN/PIP self-report; roster recipient = linked (NIK or No. KK) to a
     row of one of the five profile programmes (roster-only programmes still never enter ANY, D14).
 D28 wilayah `jenis`: trimmed, compared case-insensitively; only `desa` makes a village's families
     BLT_DESA-eligible; `kelurahan`, empty or any other value -> not eligible. A wilayah.csv without a
     `jenis` column is refused (exit with a message) rather than silently making nobody eligible.
 D29 Person programmes (PBI_JKN, PIP): persons = current members of valid families in the area (the
     population_sex persons total). Registry recipient = that member's own r431a (D13) / r431e = 1,
     whatever the member's age or eligibility. Roster recipient = the member's valid r403 equals the
     valid nik of at least one row of that programme (periode ignored). Two current members holding
     the same NIK (same or different family) are both recipients. Persons are placed in their
     family's village only, so person measures add up across areas.
 D30 Non-current NIK: a roster row whose valid nik matches no current member of a valid family but
     matches a member with r404 in {2,3,5} of a valid family (D6: excluded families take no part)
     counts one non_current_nik_row in each area of those families (once per village, once per higher
     area containing any). The row then links by No. KK if it can (placed, like any linked row, in
     the KK families' areas, and a kk_only_row), else it is unmatched and its roster_rows /
     unmatched_rows / invalid / duplicate counts go to its Kemendagri village: the non-current count
     and the row's placement may be in different areas. r404 empty/other codes are neither current
     nor non-current (such a NIK matches nobody).
 D31 periode: trimmed text, compared case-sensitively; empty (or a missing periode column) is one
     period of its own. Used only by duplicate_nik_rows and duplicate_families.
 D32 kk_only_rows: rows linked to at least one family by No. KK and by no NIK link (this includes
     rows with an empty, invalid, unknown or non-current NIK), counted in the linked families' areas
     (placement rule of linked rows).
 D33 No rosters: penerima.csv absent -> targeting has source `registry` rows only, duplicates.csv is
     not written (multi_family_nik, a registry measure, goes with it: it lives only in duplicates).
     A penerima.csv that exists but is empty (0 bytes) or has only a header is a supplied, empty
     roster: roster rows and the duplicates table are written with zeros.
"""
import csv
import io
import os
import sys
from collections import defaultdict

csv.field_size_limit(1 << 30)

CONTRACT_PROGRAMS = ["PKH", "BPNT", "BLT_DESA", "PBI_JKN", "PIP"]
FAMILY_LEVEL = {"PKH", "BPNT", "BLT_DESA"}
AGE_GROUPS = [f"{a}-{a + 4}" for a in range(0, 75, 5)] + ["75+"]
TARGET_MEASURES = ["families", "eligible", "recipients", "eligible_recipients",
                   "eligible_non_recipients", "ineligible_recipients",
                   "coverage_pct", "exclusion_pct", "inclusion_pct"]
PERSON_LEVEL = {"PBI_JKN", "PIP"}
DUP_MEASURES = ["roster_rows", "unmatched_rows", "invalid_nik_rows", "duplicate_nik_rows",
                "duplicate_families", "kk_only_rows", "non_current_nik_rows", "exclusive_overlap"]
KEY_COLS = ["r101", "r102", "r103", "r104", "r105", "r109", "r110"]


# ----------------------------------------------------------------------------- reading
def detect_delimiter(text):
    line_counts = {",": 0, ";": 0}
    inq = False
    for ch in text:
        if ch == '"':
            inq = not inq
        elif not inq and ch in "\r\n":
            break
        elif not inq and ch in line_counts:
            line_counts[ch] += 1
    return ";" if line_counts[";"] > line_counts[","] else ","


def read_table(path):
    with open(path, "rb") as f:
        raw = f.read()
    text = raw.decode("utf-8-sig")
    delim = detect_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    rows = list(reader)
    if not rows:
        return []
    header = [h.strip().lower() for h in rows[0]]
    out = []
    for r in rows[1:]:
        if not r or all(c.strip() == "" for c in r):
            continue  # blank line
        d = {}
        for i, h in enumerate(header):
            d[h] = r[i].strip() if i < len(r) else ""
        out.append(d)
    return out


def code(v):
    """Integer code or None (D3)."""
    if v is None:
        return None
    v = v.strip()
    if v and v.isascii() and v.isdigit():
        return int(v)
    return None


def pad(v, width):
    c = code(v)
    if c is None:
        return None
    s = str(c).zfill(width)
    return s if len(s) == width else None


def key_part(v):
    c = code(v)
    return c if c is not None else ("T", v.strip() if v else "")


def family_key(row):
    return tuple(key_part(row.get(k, "")) for k in KEY_COLS)


def kode_desa_of(row):
    parts = [pad(row.get("r101", ""), 2), pad(row.get("r102", ""), 2),
             pad(row.get("r103", ""), 3), pad(row.get("r104", ""), 3)]
    if any(p is None for p in parts):
        return None
    return "".join(parts)


def valid_nik(v):
    if v is None:
        return False
    v = v.strip()
    if len(v) != 16 or not (v.isascii() and v.isdigit()):
        return False
    if len(set(v)) == 1:
        return False
    day = int(v[6:8])
    month = int(v[8:10])
    if not (1 <= day <= 31 or 41 <= day <= 71):
        return False
    return 1 <= month <= 12


def kemendagri_norm(v):
    v = (v or "").strip()
    if not v:
        return None
    if "." in v:
        segs = v.split(".")
        if len(segs) != 4:
            return None
        out = []
        for s, w in zip(segs, (2, 2, 2, 4)):
            p = pad(s, w)
            if p is None:
                return None
            out.append(p)
        return "".join(out)
    if len(v) == 10 and v.isascii() and v.isdigit():
        return v
    return None


# ----------------------------------------------------------------------------- model
class Family:
    __slots__ = ("desa", "desil", "r114", "r501a", "r501b", "r501c", "members")

    def __init__(self, desa, row):
        self.desa = desa
        d = code(row.get("desil", ""))
        self.desil = d if d is not None and 1 <= d <= 10 else None
        self.r114 = (row.get("r114") or "").strip()
        self.r501a = code(row.get("r501a", ""))
        self.r501b = code(row.get("r501b", ""))
        self.r501c = code(row.get("r501c", ""))
        self.members = []  # current members only


def age_of(row):
    a = code(row.get("r407", ""))
    return a if a is not None and 0 <= a <= 98 else None


def age_group(a):
    if a is None:
        return "_Z"
    if a >= 75:
        return "75+"
    lo = (a // 5) * 5
    return f"{lo}-{lo + 4}"


def main(data_dir, out_dir):
    # wilayah
    wil = read_table(os.path.join(data_dir, "wilayah.csv"))
    if wil and "jenis" not in wil[0]:
        sys.exit("contract_reference: wilayah.csv has no `jenis` column (rev. 2: BLT_DESA needs it)")
    desa_set = []
    kem2desa = {}
    is_desa = {}   # kode_desa -> jenis is `desa` (D28)
    for r in wil:
        kd = (r.get("kode_desa") or "").strip()
        if not kd:
            continue
        if kd not in desa_set:
            desa_set.append(kd)
            is_desa[kd] = (r.get("jenis") or "").strip().lower() == "desa"
        km = kemendagri_norm(r.get("kode_desa_kemendagri", ""))
        if km:
            kem2desa[km] = kd
    desa_known = set(desa_set)
    kec_list = sorted({d[:7] for d in desa_set})
    kab_list = sorted({d[:4] for d in desa_set})
    areas = ([("kabupaten", k) for k in kab_list] + [("kecamatan", k) for k in kec_list]
             + [("desa", d) for d in sorted(desa_set)])

    def higher(desas):
        """All area codes (level, code) covering a set of desa codes."""
        s = set()
        for d in desas:
            s.add(("desa", d))
            s.add(("kecamatan", d[:7]))
            s.add(("kabupaten", d[:4]))
        return s

    # families
    families = {}
    seen_keys = set()
    for r in read_table(os.path.join(data_dir, "keluarga.csv")):
        k = family_key(r)
        if k in seen_keys:
            continue  # duplicate key: the first row wins, even if it is itself excluded
        seen_keys.add(k)
        kd = kode_desa_of(r)
        if kd is None or kd not in desa_known:
            continue
        families[k] = Family(kd, r)

    # members (current only kept for everything; non-current NIKs kept for D30)
    person_counts = defaultdict(int)   # (level, code, r405) -> n
    age_counts = defaultdict(int)      # (level, code, age_group, r405) -> n
    nik_families = defaultdict(set)    # valid NIK -> set of family keys (current members)
    gone_nik_families = defaultdict(set)  # valid NIK -> family keys of members with r404 in {2,3,5}
    for r in read_table(os.path.join(data_dir, "anggota.csv")):
        k = family_key(r)
        fam = families.get(k)
        if fam is None:
            continue
        pres = code(r.get("r404", ""))
        nik = (r.get("r403") or "").strip()
        if pres in (2, 3, 5):
            if valid_nik(nik):
                gone_nik_families[nik].add(k)
            continue
        if pres not in (1, 4):
            continue
        sex = code(r.get("r405", ""))
        sex = str(sex) if sex in (1, 2) else "_Z"
        age = age_of(r)
        ag = age_group(age)
        for lvl, c in higher([fam.desa]):
            person_counts[(lvl, c, sex)] += 1
            age_counts[(lvl, c, ag, sex)] += 1
        m = {
            "age": age,
            "r410": code(r.get("r410", "")),
            "r412": code(r.get("r412", "")),
            "dis": any(code(r.get(f"r428{x}", "")) in (1, 2) for x in "abcdefghi"),
            "r431a": code(r.get("r431a", "")),
            "r431e": code(r.get("r431e", "")),
            "nik": nik if valid_nik(nik) else None,
        }
        fam.members.append(m)
        if m["nik"]:
            nik_families[nik].add(k)

    kk_families = defaultdict(set)
    for k, fam in families.items():
        if fam.r114:
            kk_families[fam.r114].add(k)

    def school(m):
        return m["age"] is not None and 6 <= m["age"] <= 21 and m["r412"] == 2

    def person_eligible(fam, m):
        d = fam.desil
        return {"PBI_JKN": d is not None and d <= 5,
                "PIP": d is not None and d <= 4 and school(m)}

    def person_registry(m):
        return {"PBI_JKN": m["r431a"] is not None and m["r431a"] != 99 and m["r431a"] % 2 == 1,
                "PIP": m["r431e"] == 1}

    # eligibility & registry recipients (family programmes + ANY)
    elig = {}
    reg = {}
    for k, fam in families.items():
        d = fam.desil
        ms = fam.members
        comp = any(m["r410"] == 1 or (m["age"] is not None and (m["age"] <= 6 or m["age"] >= 60))
                   or m["dis"] or school(m) for m in ms)
        e = {
            "PKH": d is not None and d <= 4 and comp,
            "BPNT": d is not None and d <= 4,
            "BLT_DESA": d is not None and d <= 4 and is_desa[fam.desa],
        }
        # D27: a family holding an eligible person
        e["ANY"] = any(e.values()) or any(any(person_eligible(fam, m).values()) for m in ms)
        elig[k] = e
        rr = {
            "PKH": fam.r501b == 1,
            "BPNT": fam.r501a == 1,
            "BLT_DESA": fam.r501c == 1,
        }
        rr["ANY"] = any(rr.values()) or any(any(person_registry(m).values()) for m in ms)
        reg[k] = rr

    # roster
    roster_path = os.path.join(data_dir, "penerima.csv")
    has_roster = os.path.exists(roster_path)
    roster = read_table(roster_path) if has_roster else []
    canon = {p.upper(): p for p in CONTRACT_PROGRAMS}
    roster_programs = set()
    roster_links = defaultdict(lambda: defaultdict(set))   # prog -> family key -> {row ids}
    roster_period_links = defaultdict(lambda: defaultdict(lambda: defaultdict(set)))  # prog -> fk -> periode -> rows
    roster_niks = defaultdict(set)                          # prog -> valid NIKs on its rows (D29)
    dup = defaultdict(int)                                  # (lvl, code, prog, measure) -> n
    nik_rows = defaultdict(lambda: defaultdict(int))        # (lvl, code, prog) -> (periode, nik) -> rows
    for rid, r in enumerate(roster):
        prog = (r.get("program") or "").strip()
        if not prog:
            continue
        prog = canon.get(prog.upper(), prog)
        roster_programs.add(prog)
        periode = (r.get("periode") or "").strip()
        nik = (r.get("nik") or "").strip()
        nik_ok = valid_nik(nik)
        if nik_ok:
            roster_niks[prog].add(nik)
        linked = set()
        kk_only = False
        if nik_ok and nik in nik_families:
            linked = nik_families[nik]
        else:
            if nik_ok and nik in gone_nik_families:   # D30
                for lvl, c in higher({families[fk].desa for fk in gone_nik_families[nik]}):
                    dup[(lvl, c, prog, "non_current_nik_rows")] += 1
            kk = (r.get("no_kk") or "").strip()
            if kk and kk in kk_families:
                linked = kk_families[kk]
                kk_only = True
        if linked:
            for fk in linked:
                roster_links[prog][fk].add(rid)
                roster_period_links[prog][fk][periode].add(rid)
            placed = higher({families[fk].desa for fk in linked})
            unmatched = False
        else:
            unmatched = True
            km = kemendagri_norm(r.get("kode_desa_kemendagri", ""))
            d = kem2desa.get(km) if km else None
            placed = higher([d]) if d else set()
        for lvl, c in placed:
            dup[(lvl, c, prog, "roster_rows")] += 1
            if unmatched:
                dup[(lvl, c, prog, "unmatched_rows")] += 1
            if kk_only:
                dup[(lvl, c, prog, "kk_only_rows")] += 1
            if nik and not nik_ok:
                dup[(lvl, c, prog, "invalid_nik_rows")] += 1
            if nik_ok:
                nik_rows[(lvl, c, prog)][(periode, nik)] += 1
    for (lvl, c, prog), nd in nik_rows.items():
        dup[(lvl, c, prog, "duplicate_nik_rows")] += sum(nd.values()) - len(nd)

    extra_programs = sorted(p for p in roster_programs if p not in CONTRACT_PROGRAMS)
    sources = ("registry", "roster") if has_roster else ("registry",)

    # roster recipients per family (family programmes, roster-only programmes, ANY)
    roster_rec = {}
    for k in families:
        rr = {p: len(roster_links[p].get(k, ())) > 0 for p in CONTRACT_PROGRAMS + extra_programs}
        rr["ANY"] = any(rr[p] for p in CONTRACT_PROGRAMS)
        roster_rec[k] = rr

    # aggregation
    fam_n = defaultdict(int)
    desil_n = defaultdict(int)
    tgt = defaultdict(int)   # (lvl, code, prog, source, measure)
    multi = defaultdict(int)

    def tally(ar, p, source, e, rc):
        for lvl, c in ar:
            if e:
                tgt[(lvl, c, p, source, "eligible")] += 1
            if rc:
                tgt[(lvl, c, p, source, "recipients")] += 1
            if e and rc:
                tgt[(lvl, c, p, source, "eligible_recipients")] += 1
            if e and not rc:
                tgt[(lvl, c, p, source, "eligible_non_recipients")] += 1
            if rc and not e:
                tgt[(lvl, c, p, source, "ineligible_recipients")] += 1

    for k, fam in families.items():
        ar = higher([fam.desa])
        dcode = str(fam.desil) if fam.desil is not None else "_Z"
        for lvl, c in ar:
            fam_n[(lvl, c)] += 1
            desil_n[(lvl, c, dcode)] += 1
        for source, recs in (("registry", reg[k]), ("roster", roster_rec[k])):
            if source not in sources:
                continue
            for p in ["PKH", "BPNT", "BLT_DESA", "ANY"]:
                tally(ar, p, source, elig[k][p], recs[p])
        # person programmes (D29)
        for m in fam.members:
            pe = person_eligible(fam, m)
            pr = person_registry(m)
            for p in ("PBI_JKN", "PIP"):
                tally(ar, p, "registry", pe[p], pr[p])
                if has_roster:
                    tally(ar, p, "roster", pe[p], m["nik"] is not None and m["nik"] in roster_niks[p])
        for p in extra_programs:
            if roster_rec[k][p]:
                for lvl, c in ar:
                    tgt[(lvl, c, p, "roster", "recipients")] += 1
        for p in FAMILY_LEVEL:
            if any(len(rows) >= 2 for rows in roster_period_links[p].get(k, {}).values()):
                for lvl, c in ar:
                    dup[(lvl, c, p, "duplicate_families")] += 1
        if roster_rec[k]["BLT_DESA"] and (roster_rec[k]["PKH"] or roster_rec[k]["BPNT"]):
            for lvl, c in ar:
                dup[(lvl, c, "BLT_DESA", "exclusive_overlap")] += 1
    multi_keys = set()
    for nik, fks in nik_families.items():
        if len(fks) > 1:
            multi_keys |= fks
    for k in multi_keys:
        for lvl, c in higher([families[k].desa]):
            multi[(lvl, c)] += 1

    # ------------------------------------------------------------------------- output
    ddir = os.path.join(out_dir, "data")
    os.makedirs(ddir, exist_ok=True)

    def fmt_count(n):
        return str(int(n)), ""

    def fmt_rate(num, den):
        if den == 0:
            return "", "M"
        return repr(num / den * 100.0), ""

    def write(table, dims, rows):
        with open(os.path.join(ddir, table + ".csv"), "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["table", "area_level", "area_code"] + dims + ["measure", "value", "obs_status"])
            for row in rows:
                w.writerow([table] + list(row))

    sexes = ["1", "2", "_Z", "_T"]

    def persons_in(lvl, c):
        return sum(person_counts[(lvl, c, x)] for x in ("1", "2", "_Z"))

    rows = []
    for lvl, c in areas:
        for s in sexes:
            n = persons_in(lvl, c) if s == "_T" else person_counts[(lvl, c, s)]
            rows.append((lvl, c, s, "persons") + fmt_count(n))
            if s == "_T":
                rows.append((lvl, c, s, "families") + fmt_count(fam_n[(lvl, c)]))
    write("population_sex", ["r405"], rows)

    rows = []
    for lvl, c in areas:
        for ag in AGE_GROUPS + ["_Z", "_T"]:
            for s in sexes:
                ags = AGE_GROUPS + ["_Z"] if ag == "_T" else [ag]
                ss = ["1", "2", "_Z"] if s == "_T" else [s]
                n = sum(age_counts[(lvl, c, a, x)] for a in ags for x in ss)
                rows.append((lvl, c, ag, s, "persons") + fmt_count(n))
    write("population_age_sex", ["age_group", "r405"], rows)

    rows = []
    for lvl, c in areas:
        for d in [str(i) for i in range(1, 11)] + ["_Z"]:
            rows.append((lvl, c, d, "families") + fmt_count(desil_n[(lvl, c, d)]))
        rows.append((lvl, c, "_T", "families") + fmt_count(fam_n[(lvl, c)]))
    write("families_desil", ["desil"], rows)

    rows = []
    for lvl, c in areas:
        for p in CONTRACT_PROGRAMS + ["ANY"] + extra_programs:
            for source in sources:
                g = lambda m: tgt[(lvl, c, p, source, m)]
                for m in TARGET_MEASURES:
                    if m == "families":
                        if p in PERSON_LEVEL:
                            m, v = "persons", fmt_count(persons_in(lvl, c))
                        else:
                            v = fmt_count(fam_n[(lvl, c)])
                    elif p in extra_programs:
                        if m == "recipients" and source == "roster":
                            v = fmt_count(g(m))
                        else:
                            v = ("", "M")
                    elif m == "coverage_pct":
                        v = fmt_rate(g("eligible_recipients"), g("eligible"))
                    elif m == "exclusion_pct":
                        v = fmt_rate(g("eligible_non_recipients"), g("eligible"))
                    elif m == "inclusion_pct":
                        v = fmt_rate(g("ineligible_recipients"), g("recipients"))
                    else:
                        v = fmt_count(g(m))
                    rows.append((lvl, c, p, source, m) + v)
    write("targeting", ["program", "source"], rows)

    dup_path = os.path.join(ddir, "duplicates.csv")
    if not has_roster:   # D33: nothing measured, nothing published
        if os.path.exists(dup_path):
            os.remove(dup_path)
        return
    rows = []
    for lvl, c in areas:
        for p in CONTRACT_PROGRAMS + extra_programs:
            for m in DUP_MEASURES:
                if m == "duplicate_families" and p not in FAMILY_LEVEL:
                    v = ("", "M")
                elif m == "exclusive_overlap" and p != "BLT_DESA":
                    v = ("", "M")
                else:
                    v = fmt_count(dup[(lvl, c, p, m)])
                rows.append((lvl, c, p, m) + v)
        rows.append((lvl, c, "_T", "multi_family_nik") + fmt_count(multi[(lvl, c)]))
    write("duplicates", ["program"], rows)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: contract_reference.py DATA_DIR OUT_DIR")
    main(sys.argv[1], sys.argv[2])
