#!/usr/bin/env python3
"""Makes the SPSS/Stata fixtures of Tests/RegtabTests/Fixtures/readstat from the hand-count fixture.

    pip install pyreadstat pandas
    python3 Tests/RegtabTests/Fixtures/readstat/make_fixtures.py

Writes (small binary files, committed; run again only to change them):
  keluarga.sav   handcount/keluarga.csv as SPSS: codes numeric (leading zeros gone, as in a real export),
                 No. KK as a 16-character string, variable labels, value labels for the coded variables
  anggota.dta    handcount/anggota.csv as Stata 118: codes numeric, names and NIK as strings, r406 a %td
                 date (all missing, as in the CSV), variable and value labels
  penerima.csv, wilayah.csv   copies of the hand-count files (a .sav + .dta + .csv mix must work)
  types.sav, types.dta        one small table with every kind of value the reader converts: a labelled
                 code, a user-missing code, a system-missing number, a decimal, a 16-digit number, a date,
                 a non-ASCII string
The CSV run and the run on these files must give identical tables (ReadStatTests).
"""
import os
import shutil

import numpy as np
import pandas as pd
import pyreadstat

HERE = os.path.dirname(os.path.abspath(__file__))
HANDCOUNT = os.path.join(HERE, "..", "handcount")

TEXT_KELUARGA = {"r114"}
TEXT_ANGGOTA = {"r402", "r403"}

VARIABLE_LABELS = {
    "r101": "Provinsi", "r102": "Kabupaten/Kota", "r103": "Kecamatan", "r104": "Desa/Kelurahan",
    "r105": "SLS dan sub-SLS", "r109": "Nomor urut bangunan", "r110": "Nomor urut keluarga",
    "r112": "Jumlah anggota keluarga", "r114": "Nomor Kartu Keluarga", "desil": "Desil kesejahteraan",
    "r301a": "Status kepemilikan bangunan tempat tinggal", "r302": "Luas lantai (m²)",
    "r303": "Jenis lantai terluas", "r501a": "Menerima Sembako/BPNT setahun terakhir",
    "r501b": "Menerima PKH setahun terakhir", "r501c": "Menerima BLT Dana Desa setahun terakhir",
    "r401": "Nomor urut anggota keluarga", "r402": "Nama", "r403": "NIK", "r404": "Keberadaan anggota keluarga",
    "r405": "Jenis kelamin", "r406": "Tanggal lahir", "r407": "Umur (tahun)", "r409": "Hubungan dengan kepala keluarga",
}
YA_TIDAK = {1: "Ya", 2: "Tidak"}
VALUE_LABELS_KELUARGA = {
    "desil": {1: "Desil 1 (termiskin)", **{d: f"Desil {d}" for d in range(2, 10)}, 10: "Desil 10 (terkaya)"},
    "r301a": {1: "Milik sendiri", 2: "Kontrak/sewa", 3: "Bebas sewa", 4: "Dinas", 5: "Lainnya"},
    "r303": {1: "Marmer/granit", 2: "Keramik", 3: "Parket/vinil/karpet", 4: "Ubin/tegel/teraso", 5: "Kayu/papan",
             6: "Semen/bata merah", 7: "Bambu", 8: "Tanah", 9: "Lainnya"},
    "r501a": YA_TIDAK, "r501b": YA_TIDAK, "r501c": YA_TIDAK,
}
VALUE_LABELS_ANGGOTA = {
    "r404": {1: "Tinggal bersama", 2: "Meninggal", 3: "Pindah", 4: "Anggota baru", 5: "Tidak ditemukan"},
    "r405": {1: "Laki-laki", 2: "Perempuan"},
    "r409": {1: "Kepala keluarga", 2: "Istri/suami", 3: "Anak", 4: "Menantu", 5: "Cucu", 6: "Orang tua/mertua",
             7: "Pembantu/sopir", 8: "Lainnya"},
    "r410": YA_TIDAK,
}


def read_csv(name, sep):
    return pd.read_csv(os.path.join(HANDCOUNT, name), sep=sep, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def numeric(frame, text_columns):
    out = pd.DataFrame()
    for c in frame.columns:
        if c in text_columns:
            out[c] = frame[c].astype(object)
        else:
            out[c] = pd.to_numeric(frame[c].replace("", np.nan), errors="raise").astype("float64")
    return out


def main():
    keluarga = numeric(read_csv("keluarga.csv", ";"), TEXT_KELUARGA)
    pyreadstat.write_sav(
        keluarga, os.path.join(HERE, "keluarga.sav"),
        column_labels={c: VARIABLE_LABELS.get(c, c) for c in keluarga.columns},
        variable_value_labels=VALUE_LABELS_KELUARGA)

    anggota_csv = read_csv("anggota.csv", ",")
    anggota = numeric(anggota_csv.drop(columns=["r406"]), TEXT_ANGGOTA)
    # Birth dates are all empty in the fixture: a Stata date column of missing values.
    anggota.insert(list(anggota_csv.columns).index("r406"), "r406",
                   pd.to_datetime(anggota_csv["r406"].replace("", None)).dt.date)
    pyreadstat.write_dta(
        anggota, os.path.join(HERE, "anggota.dta"), version=15,
        column_labels={c: VARIABLE_LABELS.get(c, c) for c in anggota.columns},
        variable_value_labels=VALUE_LABELS_ANGGOTA)

    for name in ("penerima.csv", "wilayah.csv"):
        shutil.copyfile(os.path.join(HANDCOUNT, name), os.path.join(HERE, name))

    import datetime
    types = pd.DataFrame({
        "code": [1.0, 2.0, 99.0, np.nan],
        "amount": [36.5, 0.1, np.nan, -2.0],
        "kk": [1505050101800001.0, 9007199254740991.0, 0.0, np.nan],
        "born": [datetime.date(1982, 3, 12), datetime.date(1960, 1, 1), datetime.date(2023, 12, 31), None],
        "nama": ["Siti Aminah", "Dédé \"Ucok\", 3", "", "Ñoño"],
    })
    labels = {"code": {1: "Ya", 2: "Tidak", 99: "Tidak tahu"}}
    column_labels = {"code": "Kode berlabel", "amount": "Jumlah", "kk": "Nomor KK", "born": "Tanggal lahir", "nama": "Nama"}
    pyreadstat.write_sav(types, os.path.join(HERE, "types.sav"), column_labels=column_labels,
                         variable_value_labels=labels, missing_ranges={"code": [99]})
    pyreadstat.write_dta(types, os.path.join(HERE, "types.dta"), version=15, column_labels=column_labels,
                         variable_value_labels=labels)


if __name__ == "__main__":
    main()
