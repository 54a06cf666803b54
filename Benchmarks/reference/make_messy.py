#!/usr/bin/env python3
"""Write a small, deliberately messy Regsosek-style data set (seeded) for twin comparisons.

Usage: python3 make_messy.py OUT_DIR [--seed N] [--wilayah PATH]

Files: wilayah.csv (10 villages of /work/shared/data/wilayah_1505.csv, 8 of them populated, one a kelurahan),
keluarga.csv (~300 families), anggota.csv (';' + BOM + CRLF), penerima.csv (CRLF).
Traps: quoted names with , " and line breaks; codes with and without leading zeros (also in key
columns); empty/invalid codes (r405=3, desil 0/11/x, r407 120/99/text, r404 empty/7); a family in
an unknown village (with members and roster links); a duplicate family key; orphan members; NIKs
shared by families (current and non-current holders); invalid/placeholder NIKs; roster rows
linking by NIK, by No. KK, unmatched with valid/invalid Kemendagri codes (with/without dots);
programme spellings ' pkh ', 'Bpnt', 'KUR'; several periods; a family listed twice in a period;
BLT_DESA together with PKH/BPNT; one NIK held by current members of two families in different
villages; a roster-only NIK matching only a non-current member.
"""
import argparse
import csv
import os
import random

KEL_COLS = ["r101", "r102", "r103", "r104", "r105", "r109", "r110", "r112", "r114", "desil",
            "r301a", "r302", "r303", "r304", "r305", "r306a", "r307a", "r308", "r309a",
            "r501a", "r501b", "r501c"]
ANG_COLS = ["r101", "r102", "r103", "r104", "r105", "r109", "r110", "r401", "r402", "r403",
            "r404", "r405", "r406", "r407", "r408", "r409", "r410", "r412", "r415", "r416a",
            "r417", "r418"] + [f"r428{x}" for x in "abcdefghi"] + ["r430", "r431a", "r431e"]
PEN_COLS = ["program", "nik", "no_kk", "nama", "kode_desa_kemendagri", "periode"]

FIRST = ["Siti", "Ahmad", "Nur", "Budi", "Dewi", "Rahmat", "Sri", "Agus", "Putri", "Hendra"]
LAST = ["Hasibuan", "Siregar", "Lubis", "Nasution", "Harahap", "Saputra", "Wati", "Yani"]


def nik_for(rng, kec2, female, year, month=None, day=None):
    d = day if day is not None else rng.randint(1, 28)
    m = month if month is not None else rng.randint(1, 12)
    if female:
        d += 40
    return f"1505{kec2}{d:02d}{m:02d}{year % 100:02d}{rng.randint(1, 9999):04d}"


def messy_name(rng, i):
    n = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    k = i % 17
    if k == 0:
        n = f"{n}, S.Pd"
    elif k == 1:
        n = f'{n} "Ucok"'
    elif k == 2:
        n = f"{n}\nbin {rng.choice(FIRST)}"
    elif k == 3:
        n = f"={n}; alias"
    return n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out_dir")
    ap.add_argument("--seed", type=int, default=1505)
    ap.add_argument("--wilayah", default="/work/shared/data/wilayah_1505.csv")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    os.makedirs(a.out_dir, exist_ok=True)

    with open(a.wilayah, encoding="utf-8-sig", newline="") as f:
        wil = list(csv.DictReader(f))
    # 10 villages from three kecamatan; the last two stay empty
    kecs = sorted({r["kode_kecamatan"] for r in wil})[:3]
    chosen = []
    for kc in kecs:
        # a kelurahan first where the kecamatan has one (rev. 2: never BLT_DESA-eligible)
        chosen += sorted((r for r in wil if r["kode_kecamatan"] == kc), key=lambda r: r.get("jenis") != "kelurahan")[:4]
    chosen = chosen[:10]
    populated = chosen[:8]
    outside = [r for r in wil if r not in chosen][0]   # real village, not in our wilayah subset
    with open(os.path.join(a.out_dir, "wilayah.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(wil[0].keys()), lineterminator="\n")
        w.writeheader()
        w.writerows(chosen)

    fams, mems, pen = [], [], []
    all_people = []  # (fam, member dict)

    def add_family(v, serial, desil, bad_village=False):
        kd = v["kode_desa"]
        r104 = "999" if bad_village else kd[7:10]
        fam = {
            "r101": kd[:2], "r102": kd[2:4], "r103": kd[4:7], "r104": r104,
            "r105": f"{rng.randint(1, 3):04d}00", "r109": str(serial), "r110": "1",
            "r114": f"1505{kd[5:7]}{rng.randint(1, 28):02d}{rng.randint(1, 12):02d}22{serial:04d}",
            "desil": desil,
            "r301a": str(rng.randint(1, 5)), "r302": f"{rng.uniform(12, 120):.1f}",
            "r303": str(rng.randint(1, 9)), "r304": str(rng.randint(1, 7)), "r305": str(rng.randint(1, 8)),
            "r306a": str(rng.randint(1, 11)), "r307a": str(rng.randint(1, 4)), "r308": str(rng.randint(0, 11)),
            "r309a": str(rng.randint(1, 6)),
            "r501a": rng.choice(["1", "2", "2", ""]), "r501b": rng.choice(["1", "2", "2", ""]),
            "r501c": rng.choice(["1", "2", "2", "2", ""]),
            "_kd": kd, "_kem": v["kode_desa_kemendagri"], "_members": [],
        }
        if rng.random() < 0.1:
            fam["r114"] = ""
        # leading-zero variants in the family file
        if serial % 7 == 0:
            fam["r102"] = str(int(fam["r102"]))
            fam["r103"] = str(int(fam["r103"]))
        if serial % 11 == 0:
            fam["r104"] = str(int(fam["r104"]))
        if serial % 13 == 0 and fam["desil"] not in ("", "x"):
            fam["desil"] = "0" + fam["desil"]
        n = rng.choice([1, 2, 3, 3, 4, 4, 5, 6])
        fam["r112"] = str(n)
        for j in range(1, n + 1):
            female = (j == 2) or rng.random() < 0.45
            if j == 1:
                age = rng.randint(22, 85)
            elif j == 2:
                age = rng.randint(20, 70)
            else:
                age = rng.randint(0, 30)
            m = {
                "r401": str(j), "r402": messy_name(rng, len(mems) + j),
                "r403": nik_for(rng, kd[5:7], female, 2022 - age),
                "r404": rng.choice(["1"] * 12 + ["4", "2", "3", "5", "01"]),
                "r405": "2" if female else "1",
                "r406": f"{2022 - age}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "r407": str(age), "r408": str(rng.randint(1, 4)), "r409": "1" if j == 1 else str(rng.randint(2, 8)),
                "r410": ("1" if rng.random() < 0.15 else "2") if female and 15 <= age <= 49 else "",
                "r412": (("2" if age <= 21 and rng.random() < 0.8 else rng.choice(["1", "3"]))
                         if age >= 5 else ""),
                "r415": "", "r416a": rng.choice(["1", "2"]) if age >= 5 else "",
                "r417": "", "r418": "", "r430": "01",
                "r431a": rng.choice(["0", "1", "2", "4", "5", "3", "8", "99", "0", "0"]),
                "r431e": (rng.choice(["1", "2", "8"]) if 5 <= age <= 30 else ""),
            }
            for x in "abcdefghi":
                m[f"r428{x}"] = "4" if rng.random() < 0.97 else rng.choice(["1", "2", "3"])
            if rng.random() < 0.2:
                for x in "abcdefghi":
                    m[f"r428{x}"] = ""
            fam["_members"].append(m)
        fams.append(fam)
        return fam

    serial = 0
    for i in range(300):
        v = populated[i % 8] if rng.random() < 0.9 else populated[rng.randint(0, 2)]
        serial += 1
        desil = rng.choice([str(d) for d in range(1, 11)] + ["1", "2", "3", "4", ""])
        add_family(v, serial, desil)

    # --- code traps on families
    fams[3]["desil"] = "11"
    fams[4]["desil"] = "0"
    fams[5]["desil"] = "x"
    fams[6]["desil"] = " 3 "
    fams[7]["r501b"] = " 1"
    fams[8]["desil"] = "4.0"          # not an integer code -> not ranked (decision D3)
    fams[9]["r501a"] = "01"
    # unknown village (family + members + a roster row linking to it)
    serial += 1
    badfam = add_family(populated[0], serial, "2", bad_village=True)
    serial += 1
    outfam = add_family(outside, serial, "1")  # real Muaro Jambi village, not in wilayah subset
    # duplicate family key: a second row with the key of fams[10] but other content
    dupfam = dict(fams[10])
    dupfam["desil"] = "1" if fams[10]["desil"] != "1" else "9"
    dupfam["r501b"] = "1"
    dupfam["_members"] = [dict(fams[10]["_members"][0], r401="9", r402="Duplikat, Keluarga",
                              r407="3", r404="1")]
    fams.insert(11, dupfam)

    # --- member traps
    m = fams[20]["_members"]
    m[0]["r405"] = "3"
    m[0]["r404"] = "1"
    if len(m) > 1:
        m[1]["r405"] = ""
        m[1]["r404"] = "1"
    fams[21]["_members"][0].update(r407="120", r404="1")
    fams[22]["_members"][0].update(r407="99", r404="1")
    fams[23]["_members"][0].update(r407="tiga", r404="1")
    fams[24]["_members"][0].update(r407="", r404="1")
    fams[25]["_members"][0].update(r404="", r407="40")
    fams[26]["_members"][0].update(r404="7")
    fams[27]["_members"][0].update(r405="01", r404="04", r407="075")
    fams[28]["_members"][0].update(r407="98", r404="1", r405="02")
    fams[29]["_members"][0].update(r431a="17", r404="1")   # out-of-range odd code
    fams[30]["_members"][0].update(r431a="099", r404="1")
    # invalid / placeholder NIKs on members
    bad_niks = ["9999999999999999", "1505020013850001", "1505023201850001", "1505024513850001",
                "150502450185001", "15050245018500011", "1505 02450185000", "0000000000000000"]
    for i, bn in enumerate(bad_niks):
        fams[40 + i]["_members"][0]["r403"] = bn
        fams[40 + i]["_members"][0]["r404"] = "1"
    # valid female-form NIK (day 41..71) on a man: decision D15 accepts it
    fams[50]["_members"][0].update(r403="1505027101900007", r405="1", r404="1")
    # members with missing NIK
    fams[51]["_members"][0]["r403"] = ""

    # NIK shared across families
    shared1 = "1505031203800011"   # two current holders in different villages -> multi_family_nik
    fa, fb = fams[60], fams[61]
    while fb["_kd"] == fa["_kd"]:
        fb = fams[fams.index(fb) + 1]
    fa["_members"][0].update(r403=shared1, r404="1")
    fb["_members"][0].update(r403=shared1, r404="4")
    shared2 = "1505031503800012"   # current in one family, non-current (moved) in another
    fams[62]["_members"][0].update(r403=shared2, r404="1")
    fams[63]["_members"][0].update(r403=shared2, r404="3")
    shared3 = "1505031603800013"   # same NIK twice inside one family (not multi-family)
    if len(fams[64]["_members"]) < 2:
        fams[64]["_members"].append(dict(fams[64]["_members"][0], r401="2"))
    fams[64]["_members"][0].update(r403=shared3, r404="1")
    fams[64]["_members"][1].update(r403=shared3, r404="1")
    shared4 = "1505031703800014"   # current holder in family + in the unknown-village family
    fams[65]["_members"][0].update(r403=shared4, r404="1")
    badfam["_members"][0].update(r403=shared4, r404="1")
    shared5 = "1505031803800015"   # three families, same village
    for f in (fams[66], fams[67], fams[68]):
        f["_members"][0].update(r403=shared5, r404="1")

    # orphan members (no family row)
    orphan_key = dict(fams[70])
    orphan_key["r109"] = "9999"
    orphans = [dict(fams[70]["_members"][0], r401="1", r403="1505041005770001", r404="1")]

    # --- write keluarga (',' LF, one name-free file)
    with open(os.path.join(a.out_dir, "keluarga.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(KEL_COLS)
        for fam in fams:
            w.writerow([fam[c] for c in KEL_COLS])

    # --- write anggota (';' + BOM + CRLF); key columns of some members written without zeros
    rows = []
    for idx, fam in enumerate(fams + [orphan_key]):
        members = fam["_members"] if fam is not orphan_key else orphans
        for m in members:
            key = [fam[c] for c in ["r101", "r102", "r103", "r104", "r105", "r109", "r110"]]
            if idx % 5 == 0:
                key = [str(int(k)) if k.strip().isdigit() else k for k in key]  # strip zeros
            elif idx % 5 == 1:
                key[2] = key[2].zfill(3)
                key[1] = key[1].zfill(2)
                key[3] = key[3].zfill(3)
            rows.append(key + [m[c] for c in ANG_COLS[7:]])
    with open(os.path.join(a.out_dir, "anggota.csv"), "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, delimiter=";", lineterminator="\r\n")
        w.writerow(ANG_COLS)
        w.writerows(rows)

    # --- roster
    def cur_members(fam):
        return [m for m in fam["_members"] if m["r404"].lstrip("0") in ("1", "4")]

    def add(prog, nik, kk, name, kem, per):
        pen.append([prog, nik, kk, name, kem, per])

    progs = ["PKH", " pkh ", "BPNT", "Bpnt", "BLT_DESA", "PBI_JKN", "PIP", "KUR"]
    for i, fam in enumerate(fams[:300]):
        for prog in progs:
            if rng.random() < 0.12:
                cm = cur_members(fam) or fam["_members"]
                m = rng.choice(cm)
                mode = rng.random()
                nik, kk = m["r403"], ""
                if mode < 0.2:
                    nik, kk = "", fam["r114"]
                elif mode < 0.3:
                    nik, kk = "123", fam["r114"]
                for per in (["2022-S1", "2022-S2"] if rng.random() < 0.3 else ["2022-S2"]):
                    add(prog, nik, kk, m["r402"], fam["_kem"], per)
    # a family listed twice in the same period (family-level programmes)
    for prog, fam in (("PKH", fams[80]), ("BPNT", fams[81]), ("BLT_DESA", fams[82])):
        cm = cur_members(fam) or fam["_members"]
        add(prog, cm[0]["r403"], "", cm[0]["r402"], fam["_kem"], "2022-S2")
        add(prog, "", fam["r114"], "Kepala, Keluarga", fam["_kem"], "2022-S2")
        if len(cm) > 1:
            add(prog, cm[1]["r403"], "", cm[1]["r402"], fam["_kem"], "2022-S2")
    # BLT_DESA together with PKH / BPNT
    for fam, other in ((fams[90], "PKH"), (fams[91], "BPNT"), (fams[92], "PKH")):
        cm = cur_members(fam) or fam["_members"]
        add("BLT_DESA", cm[0]["r403"], "", "x", fam["_kem"], "2022-S2")
        add(other, "", fam["r114"], "y", fam["_kem"], "2022-S2")
    # NIK linking to two families in different villages, in several programmes
    for prog in ("PKH", "BLT_DESA", "PIP", "KUR"):
        add(prog, shared1, "", "Dua Desa", fa["_kem"], "2022-S2")
    add("PKH", shared1, "", "Dua Desa", fa["_kem"], "2022-S1")
    # NIK held only by a non-current member elsewhere + current member: links to current only
    add("BPNT", shared2, "", "Pindah", fams[63]["_kem"], "2022-S2")
    # NIK held by a family in an unknown village and by a valid family
    add("PBI_JKN", shared4, "", "Setengah", fams[65]["_kem"], "2022-S2")
    # NIK held only by the unknown-village family -> unmatched (its KK is given too)
    add("PKH", badfam["_members"][1]["r403"] if len(badfam["_members"]) > 1 else "1505030101800099",
        badfam["r114"], "Desa Hilang", populated[0]["kode_desa_kemendagri"], "2022-S2")
    # NIK matching only a non-current member (no KK) -> unmatched
    noncur = next(m for fam in fams[100:] for m in fam["_members"] if m["r404"] in ("2", "3", "5"))
    add("PKH", noncur["r403"], "", "Sudah Meninggal", populated[1]["kode_desa_kemendagri"], "2022-S2")
    # three-family NIK
    add("BPNT", shared5, "", "Tiga", fams[66]["_kem"], "2022-S2")
    # unmatched rows with valid / invalid Kemendagri codes, with and without dots
    v0, v5 = populated[0]["kode_desa_kemendagri"], populated[5]["kode_desa_kemendagri"]
    un = [
        ("PKH", "1505034107900001", "", v0),
        ("PKH", "1505034107900001", "", v0.replace(".", "")),          # duplicate NIK, unmatched
        ("BPNT", "", "1505999999999999", v5),
        ("BPNT", "9999999999999999", "", v5.replace(".", "")),
        ("BLT_DESA", "1505031399800001", "", v0),                       # month 13: invalid
        ("PIP", "1505030101800002", "", "15.05.99.9999"),               # unknown code
        ("PIP", "1505030101800003", "", ""),                            # no code
        ("KUR", "1505030101800004", "", outside["kode_desa_kemendagri"]),  # outside subset
        ("PBI_JKN", "15050301018000", "", "15.5.5.2015"),
        (" Pkh", "1505030101800005", "", v5),
        ("", "1505030101800006", "", v5),                              # empty programme
        ("BANSOS BERAS", "1505030101800007", "", v5),
    ]
    for prog, nik, kk, kem in un:
        add(prog, nik, kk, 'Tak "Dikenal", Orang', kem, "2022-S2")
    # --- harder linking cases
    # No. KK shared by two families in different kecamatan -> a KK row links to both
    fx, fy = fams[110], fams[111]
    while fy["_kd"][:7] == fx["_kd"][:7]:
        fy = fams[fams.index(fy) + 1]
    fy["r114"] = fx["r114"] = fx["r114"] or "1505101010220110"
    add("PKH", "", fx["r114"], "KK Ganda", fx["_kem"], "2022-S2")
    add("BLT_DESA", " " + fx["r114"] + " ", "", "KK di kolom NIK", fx["_kem"], "2022-S2")
    # valid NIK of nobody + KK of a family -> links by KK
    add("BPNT", "1505030202800021", fams[112]["r114"] or fams[113]["r114"], "Lewat KK",
        fams[112]["_kem"], "2022-S2")
    # NIK of a current member of fams[114] + KK of fams[115] -> NIK wins
    cm = cur_members(fams[114]) or [dict(fams[114]["_members"][0])]
    fams[114]["_members"][0]["r404"] = "1"
    add("PKH", " " + fams[114]["_members"][0]["r403"] + " ", fams[115]["r114"], "NIK menang",
        fams[115]["_kem"], "2022-S2")
    # same NIK twice inside one family -> one link; two rows -> duplicate family
    add("PKH", shared3, "", "Kembar", fams[64]["_kem"], "2022-S1")
    add("PKH", shared3, "", "Kembar", fams[64]["_kem"], "2022-S2")
    # three-family NIK across villages, in two programmes
    add("BLT_DESA", shared5, "", "Tiga", fams[67]["_kem"], "2022-S2")
    # invalid member NIKs used in the roster: with and without the family's KK
    for i, bn in enumerate(bad_niks):
        fam = fams[40 + i]
        add("PIP", bn, fam["r114"] if i % 2 else "", "Salah NIK", fam["_kem"], "2022-S2")
    # female-form day on a man (valid by structure)
    add("PBI_JKN", "1505027101900007", "", "Laki 71", fams[50]["_kem"], "2022-S2")
    # spellings, empty period, lowercase programme names
    add("blt_desa", fams[120]["_members"][0]["r403"], fams[120]["r114"], "kecil", fams[120]["_kem"], "")
    add("Pip", fams[121]["_members"][0]["r403"], fams[121]["r114"], "kecil", fams[121]["_kem"], "")
    add("kur", fams[122]["_members"][0]["r403"], fams[122]["r114"], "kecil", fams[122]["_kem"], "")
    # unmatched with whitespace / odd Kemendagri notations
    add("BPNT", "1505030101800031", "", " " + v5 + " ", "x", "2022-S2")
    add("BPNT", "1505030101800032", "", v0.replace(".", "-"), "x", "2022-S2")
    add("BPNT", "1505030101800033", "", "0" + v0.replace(".", ""), "x", "2022-S2")
    # the outside-village family (excluded) linked by roster
    add("PKH", outfam["_members"][0]["r403"], outfam["r114"], "Luar", outfam["_kem"], "2022-S2")
    rng.shuffle(pen)
    with open(os.path.join(a.out_dir, "penerima.csv"), "w", encoding="utf-8", newline="") as f:
        order = [5, 4, 3, 2, 1, 0]   # columns in another order than the contract lists them
        w = csv.writer(f, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        w.writerow([PEN_COLS[i] for i in order])
        w.writerows([[r[i] for i in order] for r in pen])
        f.write("\r\n")                # trailing blank line
    print(f"wrote {len(fams)} family rows, {len(rows)} member rows, {len(pen)} roster rows to {a.out_dir}")


if __name__ == "__main__":
    main()
