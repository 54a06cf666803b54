-- The data contract's five core tables (shared/data-contract.md §2, §3) in DuckDB SQL:
-- population_sex, population_age_sex, families_desil, targeting, duplicates — the same definitions as
-- regtab's built-in profile (reports/regsosek), written the way a DuckDB user would write them for speed:
--
--   * every input read once, with explicit columns (no type sniffing): family keys are integers in the
--     reader; codes are read as text and turned into integers with TRY_CAST, so a value that is not a
--     code becomes NULL and is tabulated as not stated (`_Z`), as regtab does;
--   * families are a temporary table keyed by one packed integer (a HUGEINT of r101…r110); members are
--     streamed once through a hash join on it into ONE aggregate with three grouping sets: family
--     composition (the `any member:` rules), persons by village × age group × sex, and the distinct
--     (valid NIK, family) pairs that roster linking and `multi_family_nik` need;
--   * everything family-level is aggregated per village once (FILTER clauses), then `ROLLUP` (+ `CUBE`
--     over the table's dimensions) gives kecamatan, kabupaten and the `_T` totals; a roster row, which can
--     sit in several villages, is placed once per area and level by one grouping-sets aggregate and then
--     counted; duplicate NIK rows are counted only for (programme, NIK) pairs on two or more rows.
--
-- Run it with Benchmarks/duckdb_contract.py DATA_DIR OUT_DIR, which replaces {{DATA}} and {{OUT}}, and for each
-- file {{DELIM:file}} (`,`, `;` or tab, from the header line, as regtab decides) and {{COLUMNS:file}}: the
-- explicit column list in the file's own header order, names lower-cased and trimmed, with the types
--   r101 r102 r103 r104 r105 INTEGER, r109 r110 BIGINT (family key), wilayah kode_desa BIGINT, all else VARCHAR
-- (so the reader sniffs nothing; a key that is not an integer sends its row to the rejects table = excluded).
-- Output: OUT/data/<table>.csv in regtab's twin format (table,area_level,area_code,<dims>,measure,value,
-- obs_status), rows in regtab's order, so the files can be compared cell by cell (Benchmarks/compare.py).
--
-- Contract revision 2: BLT_DESA eligibility needs wilayah `jenis` = `desa`; PBI_JKN and PIP are counted in persons
-- (current members; `persons` replaces `families` as their first targeting measure); a roster NIK held only by
-- a member who died, moved or was not found (r404 2, 3, 5) does not link by NIK and is a non_current_nik_row in
-- that member's family's areas; duplicate NIK rows and duplicate families are counted within one `periode`
-- (trimmed; empty = a period of its own); kk_only_rows; without penerima.csv ({{HAS_ROSTER}} = false, and the
-- roster reader {{PENERIMA}} yields no rows) targeting has registry rows only and the statements marked
-- {{IF_ROSTER}} (the duplicates table) are not run.
--
-- Linking and counting rules (contract §2, and regtab's documented decisions where the contract is silent):
--   valid NIK = 16 digits, not all one digit, day (−40 if > 40) 1–31, month 1–12 (after trimming blanks);
--   a roster row links by valid NIK to every family with a current member holding it, else by non-empty
--   No. KK (trimmed text) to every family with that r114, else it is unmatched and placed in the village of
--   its Kemendagri code (spaces ignored, dotted parts padded to 2.2.2.4 digits, dots ignored); a row in no
--   area is counted nowhere.
--   Programme names are trimmed; the profile's five match ignoring case; `ANY`, `_T`, `_Z` and empty names are
--   not tabulated; other names are tabulated as given (roster-only programmes: `families` and roster
--   `recipients`, everything else `M`). `ANY` = the five profile programmes: eligible = eligible for PKH, BPNT or
--   BLT_DESA or holding an eligible person of PBI_JKN/PIP; registry = r501a/b/c or a member's own PBI_JKN/PIP
--   report; roster = linked (NIK or No. KK) to a row of one of them. wilayah `jenis` is trimmed and compared
--   ignoring case. A person programme's roster recipient is a current member whose valid NIK is on a row of it.
--   Known differences: DuckDB's integer cast accepts `1e1`, `0x10` and `1_0` in codes, and `4.0` in key columns,
--   where regtab sees no code.

SET preserve_insertion_order = true;

-- ---------------------------------------------------------------------------------------------- helpers
-- Trim ASCII blanks (space, tab, line ends); the test on the first and last character skips the slow general
-- trim for the usual value that has none.
CREATE OR REPLACE TEMP MACRO ws_trim(s) AS CASE
    WHEN ascii(s) IN (9, 10, 11, 12, 13, 32) OR ascii(right(s, 1)) IN (9, 10, 11, 12, 13, 32)
    THEN trim(s, ' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13)) ELSE s END;
-- A code: an integer, leading zeros insignificant (`01` = 1). DuckDB's cast would also round `4.0` or `1.5`,
-- which regtab (and the reference) treat as no code: values with a decimal point are refused.
CREATE OR REPLACE TEMP MACRO code(s) AS CASE WHEN NOT contains(s, '.') THEN TRY_CAST(s AS INTEGER) END;
-- NIK: the 16 digits of a cell (blanks around allowed) as a number, else NULL; then the contract's test on
-- that number: not one repeated digit (= a multiple of 1111111111111111), day DD (women DD + 40) 1–31, month 1–12.
CREATE OR REPLACE TEMP MACRO nik_digits(s) AS
    TRY_CAST(regexp_extract(s, '^[ \t\n\x0b\x0c\r]*([0-9]{16})[ \t\n\x0b\x0c\r]*$', 1) AS BIGINT);
CREATE OR REPLACE TEMP MACRO nik_ok(n) AS
    n % 1111111111111111 <> 0
    AND ((n // 100000000) % 100 BETWEEN 1 AND 31 OR (n // 100000000) % 100 BETWEEN 41 AND 71)
    AND (n // 1000000) % 100 BETWEEN 1 AND 12;
CREATE OR REPLACE TEMP MACRO key_ok(a, b, c, d, e, f, g) AS
    a BETWEEN 0 AND 99 AND b BETWEEN 0 AND 99 AND c BETWEEN 0 AND 999 AND d BETWEEN 0 AND 999
    AND e BETWEEN 0 AND 999999 AND f BETWEEN 0 AND 2147483647 AND g BETWEEN 0 AND 2147483647;
CREATE OR REPLACE TEMP MACRO desa_of(a, b, c, d) AS a::BIGINT * 100000000 + b * 1000000 + c * 1000 + d;
-- r101…r105 (16 digits) above r109 (31 bits) above r110 (31 bits): one integer per family.
CREATE OR REPLACE TEMP MACRO fkey_of(a, b, c, d, e, f, g) AS
    (desa_of(a, b, c, d) * 1000000 + e)::HUGEINT * 4611686018427387904 + (f * 2147483648 + g);
CREATE OR REPLACE TEMP MACRO area_level(kec, desa) AS
    CASE WHEN desa IS NOT NULL THEN 'desa' WHEN kec IS NOT NULL THEN 'kecamatan' ELSE 'kabupaten' END;
CREATE OR REPLACE TEMP MACRO area_code(kab, kec, desa) AS
    coalesce(lpad(desa::VARCHAR, 10, '0'), lpad(kec::VARCHAR, 7, '0'), lpad(kab::VARCHAR, 4, '0'));
CREATE OR REPLACE TEMP MACRO area_rank(kec, desa) AS CASE WHEN desa IS NOT NULL THEN 3 WHEN kec IS NOT NULL THEN 2 ELSE 1 END;
-- regtab's number format: whole numbers without decimals, others with up to six.
CREATE OR REPLACE TEMP MACRO fmt(x) AS CASE
    WHEN x IS NULL THEN NULL
    WHEN x = round(x) AND abs(x) < 1e15 THEN (x::BIGINT)::VARCHAR
    ELSE rtrim(rtrim(printf('%.6f', x), '0'), '.') END;
CREATE OR REPLACE TEMP MACRO rate(n, d) AS CASE WHEN d <> 0 THEN n::DOUBLE / d * 100 END;
-- Kemendagri village code without blanks and dots; written with four dotted parts, each part is first padded
-- to 2, 2, 2 and 4 digits (`15.5.5.2015` = `15.05.05.2015` = `1505052015`), as regtab does.
CREATE OR REPLACE TEMP MACRO pad_to(p, w) AS CASE WHEN length(p) >= w THEN p ELSE lpad(p, w, '0') END;
CREATE OR REPLACE TEMP MACRO kmd_dotted(s) AS CASE
    WHEN length(s) = 13 AND s[3] = '.' AND s[6] = '.' AND s[9] = '.' THEN replace(s, '.', '')
    WHEN len(string_split(s, '.')) = 4 THEN pad_to(string_split(s, '.')[1], 2) || pad_to(string_split(s, '.')[2], 2)
                                           || pad_to(string_split(s, '.')[3], 2) || pad_to(string_split(s, '.')[4], 4)
    ELSE replace(s, '.', '') END;
CREATE OR REPLACE TEMP MACRO kmd_norm(s) AS kmd_dotted(replace(ws_trim(s), ' ', ''));

CREATE TEMP TABLE profile_programmes AS
    SELECT * FROM (VALUES ('PKH', 1), ('BPNT', 2), ('BLT_DESA', 3), ('PBI_JKN', 4), ('PIP', 5)) t(program, ord);

-- ---------------------------------------------------------------------------------------------- wilayah
CREATE TEMP TABLE wil AS
SELECT kode_desa AS desa, kode_desa // 1000 AS kec, kode_desa // 1000000 AS kab,
       kmd_norm(kode_desa_kemendagri) AS kmd, coalesce(lower(ws_trim(jenis)) = 'desa', false) AS is_desa
FROM read_csv('{{DATA}}/wilayah.csv', header = true, auto_detect = false, delim = {{DELIM:wilayah}}, quote = '"', escape = '"',
     columns = {{COLUMNS:wilayah}});

-- ---------------------------------------------------------------------------------------------- keluarga
-- Rows whose key is not an integer go to the rejects table (= excluded, like regtab's invalid_family_key).
CREATE TEMP TABLE kel AS
SELECT r101, r102, r103, r104, r105, r109, r110, ws_trim(r114) AS kk, code(desil) AS desil,
       code(r501a) AS r501a, code(r501b) AS r501b, code(r501c) AS r501c
FROM read_csv('{{DATA}}/keluarga.csv', header = true, auto_detect = false, delim = {{DELIM:keluarga}}, quote = '"', escape = '"',
     store_rejects = true, rejects_table = 'rejects_keluarga', rejects_scan = 'rejects_scan_keluarga',
     columns = {{COLUMNS:keluarga}});

-- Tabulated families: valid key, village in wilayah, first row of a key (file order = rowid).
CREATE TEMP TABLE fam AS
SELECT k.rowid AS fid, fkey_of(r101, r102, r103, r104, r105, r109, r110) AS fkey, w.desa, w.is_desa, k.kk,
       CASE WHEN k.desil BETWEEN 1 AND 10 THEN k.desil END AS desil,
       k.r501a = 1 AS g_bpnt, k.r501b = 1 AS g_pkh, k.r501c = 1 AS g_blt
FROM kel k JOIN wil w ON w.desa = desa_of(r101, r102, r103, r104)
WHERE key_ok(r101, r102, r103, r104, r105, r109, r110)
QUALIFY row_number() OVER (PARTITION BY fkey ORDER BY fid) = 1;

-- ---------------------------------------------------------------------------------------------- anggota
-- One scan, one join, one aggregate with three grouping sets (members with r404 1-5; every count and flag is of
-- current members, cur = r404 in {1, 4}; the others only give their NIKs to the third set):
--   gid 31: (fid)                     family composition for the `any member:` rules
--   gid 35: (desa, age_group, sex)    persons, and the person programmes' registry counts
--   gid 28: (nik, fid, cur)           distinct valid member NIKs per family (nik NULL = none), current or not
CREATE TEMP TABLE magg AS
WITH typed AS (
    SELECT fkey_of(r101, r102, r103, r104, r105, r109, r110) AS fkey, code(r404) IN (1, 4) AS cur,
           coalesce(CASE WHEN code(r405) IN (1, 2) THEN code(r405) END, 0)::UTINYINT AS sex,   -- 0 = _Z
           CASE WHEN TRY_CAST(r407 AS DOUBLE) BETWEEN 0 AND 98 THEN TRY_CAST(r407 AS DOUBLE) END AS age,
           code(r410) AS r410, code(r412) AS r412,
           (code(r428a) IN (1, 2) OR code(r428b) IN (1, 2) OR code(r428c) IN (1, 2) OR code(r428d) IN (1, 2)
            OR code(r428e) IN (1, 2) OR code(r428f) IN (1, 2) OR code(r428g) IN (1, 2) OR code(r428h) IN (1, 2)
            OR code(r428i) IN (1, 2)) AS disability,
           TRY_CAST(r431a AS DOUBLE) AS r431a, code(r431e) AS r431e,
           nik_digits(r403) AS nik
    FROM read_csv('{{DATA}}/anggota.csv', header = true, auto_detect = false, delim = {{DELIM:anggota}}, quote = '"', escape = '"',
         store_rejects = true, rejects_table = 'rejects_anggota', rejects_scan = 'rejects_scan_anggota',
         columns = {{COLUMNS:anggota}})
    WHERE code(r404) IN (1, 2, 3, 4, 5) AND key_ok(r101, r102, r103, r104, r105, r109, r110)
), m AS (
    SELECT f.fid, f.desa, t.cur, t.sex, CASE WHEN nik_ok(t.nik) THEN t.nik END AS nik,
           (CASE WHEN t.age IS NULL THEN 16 ELSE least(floor(t.age / 5), 15) END)::UTINYINT AS age_group,   -- 0 = 0-4 … 15 = 75+, 16 = _Z
           t.cur AND coalesce(t.r410 = 1 OR t.age <= 6 OR (t.age >= 6 AND t.age <= 21 AND t.r412 = 2) OR t.age >= 60
                              OR t.disability, false) AS pkh_m,
           t.cur AND coalesce(t.age >= 6 AND t.age <= 21 AND t.r412 = 2, false) AS pip_m,
           t.cur AND coalesce(t.r431a % 2 = 1 AND t.r431a <> 99, false) AS pbi_g,
           t.cur AND coalesce(t.r431e = 1, false) AS pip_g,
           t.cur AND coalesce(f.desil <= 5, false) AS pbi_e,                                     -- eligible persons
           t.cur AND coalesce(f.desil <= 4 AND t.age >= 6 AND t.age <= 21 AND t.r412 = 2, false) AS pip_e
    FROM typed t JOIN fam f ON f.fkey = t.fkey
)
SELECT GROUPING(fid, desa, age_group, sex, nik, cur) AS gid, fid, desa, age_group, sex, nik, cur,
       count(*) FILTER (cur) AS persons,
       coalesce(bool_or(pkh_m), false) AS pkh_m, coalesce(bool_or(pip_m), false) AS pip_m,
       coalesce(bool_or(pbi_g), false) AS pbi_g, coalesce(bool_or(pip_g), false) AS pip_g,
       coalesce(bool_or(pbi_e OR pip_e), false) AS any_e,
       count(*) FILTER (pbi_e) AS n_pbi_e, count(*) FILTER (pbi_g) AS n_pbi_g, count(*) FILTER (pbi_e AND pbi_g) AS n_pbi_eg,
       count(*) FILTER (pip_e) AS n_pip_e, count(*) FILTER (pip_g) AS n_pip_g, count(*) FILTER (pip_e AND pip_g) AS n_pip_eg
FROM m
GROUP BY GROUPING SETS ((fid), (desa, age_group, sex), (nik, fid, cur));

-- Current members' valid NIKs (with the persons holding each and how many of them are eligible), and the NIKs
-- of members who died, moved or were not found.
CREATE TEMP TABLE nikfam AS
SELECT nik, fid, persons, n_pbi_e, n_pip_e FROM magg WHERE gid = 28 AND cur AND nik IS NOT NULL;
CREATE TEMP TABLE gonefam AS SELECT nik, fid FROM magg WHERE gid = 28 AND NOT cur AND nik IS NOT NULL;

-- ---------------------------------------------------------------------------------------------- penerima
CREATE TEMP TABLE ros AS
WITH raw AS (
    SELECT ws_trim(program) AS p, nik, nik_digits(nik) AS nd, ws_trim(no_kk) AS kk,
           kmd_norm(kode_desa_kemendagri) AS kmd, coalesce(ws_trim({{PERIODE}}), '') AS periode
    FROM {{PENERIMA}}
)
SELECT coalesce(pp.program, raw.p) AS program, CASE WHEN nik_ok(raw.nd) THEN raw.nd END AS nik,
       coalesce(NOT nik_ok(raw.nd), raw.nik IS NOT NULL AND ws_trim(raw.nik) <> '') AS nik_invalid, raw.kk, raw.kmd,
       raw.periode
FROM raw LEFT JOIN profile_programmes pp ON lower(pp.program) = lower(raw.p)
WHERE raw.p <> '' AND upper(raw.p) NOT IN ('ANY', '_T', '_Z');
-- (rowid of ros = roster row id)

-- Links: by valid NIK of a current member, else by No. KK (by_kk). A NIK held only by non-current members does not
-- link (the row may link by No. KK).
CREATE TEMP TABLE link_nik AS
SELECT r.rowid AS rid, n.fid FROM ros r JOIN nikfam n ON n.nik = r.nik;
CREATE TEMP TABLE link AS
SELECT rid, fid, false AS by_kk FROM link_nik
UNION ALL
SELECT r.rowid AS rid, f.fid, true AS by_kk FROM ros r JOIN fam f ON f.kk = r.kk
WHERE r.kk <> '' AND r.rowid NOT IN (SELECT rid FROM link_nik);

-- Areas of each row, each once per level (lvl 3 = desa, 2 = kecamatan, 1 = kabupaten): its families' villages
-- and the kecamatan and kabupaten containing any of them, or (unmatched) its Kemendagri village and above.
CREATE TEMP TABLE place AS
SELECT rid, false AS unmatched, bool_or(by_kk) AS kk_only,
       CASE WHEN GROUPING(desa) = 0 THEN 3 WHEN GROUPING(kec) = 0 THEN 2 ELSE 1 END AS lvl, coalesce(desa, kec, kab) AS area
FROM (SELECT l.rid, l.by_kk, f.desa, f.desa // 1000 AS kec, f.desa // 1000000 AS kab FROM link l JOIN fam f ON f.fid = l.fid)
GROUP BY GROUPING SETS ((rid, kab), (rid, kab, kec), (rid, kab, kec, desa))
UNION ALL
SELECT r.rowid AS rid, true AS unmatched, false AS kk_only, v.lvl,
       CASE v.lvl WHEN 3 THEN w.desa WHEN 2 THEN w.kec ELSE w.kab END AS area
FROM ros r JOIN wil w ON w.kmd = r.kmd CROSS JOIN (VALUES (1), (2), (3)) v(lvl)
WHERE r.rowid NOT IN (SELECT rid FROM link);

-- Rows whose valid NIK is held by no current member but by a member who died, moved or was not found: placed in
-- those members' families' areas (once per area and level), whatever the row links to by No. KK.
CREATE TEMP TABLE ncplace AS
SELECT rid, CASE WHEN GROUPING(desa) = 0 THEN 3 WHEN GROUPING(kec) = 0 THEN 2 ELSE 1 END AS lvl, coalesce(desa, kec, kab) AS area
FROM (SELECT r.rowid AS rid, f.desa, f.desa // 1000 AS kec, f.desa // 1000000 AS kab
      FROM ros r JOIN gonefam g ON g.nik = r.nik JOIN fam f ON f.fid = g.fid
      WHERE r.rowid NOT IN (SELECT rid FROM link_nik))
GROUP BY GROUPING SETS ((rid, kab), (rid, kab, kec), (rid, kab, kec, desa));

-- Roster rows per family, programme and period; and per family and programme.
CREATE TEMP TABLE rfamp AS
SELECT l.fid, r.program, r.periode, count(*) AS nrows FROM link l JOIN ros r ON r.rowid = l.rid GROUP BY ALL;
CREATE TEMP TABLE rfam AS
SELECT fid, program, sum(nrows) AS nrows FROM rfamp GROUP BY ALL;

-- Person programmes, roster source: current members whose valid NIK is on a row of the programme, per village.
CREATE TEMP TABLE proster AS
WITH rn AS (SELECT DISTINCT program, nik FROM ros WHERE nik IS NOT NULL AND program IN ('PBI_JKN', 'PIP'))
SELECT f.desa,
       sum(n.persons) FILTER (rn.program = 'PBI_JKN') AS "recipients|PBI_JKN|roster",
       sum(n.n_pbi_e) FILTER (rn.program = 'PBI_JKN') AS "eligible_recipients|PBI_JKN|roster",
       sum(n.persons) FILTER (rn.program = 'PIP') AS "recipients|PIP|roster",
       sum(n.n_pip_e) FILTER (rn.program = 'PIP') AS "eligible_recipients|PIP|roster"
FROM nikfam n JOIN rn ON rn.nik = n.nik JOIN fam f ON f.fid = n.fid
GROUP BY f.desa;

-- Person programmes, registry source and eligibility: current members per village.
CREATE TEMP TABLE pregistry AS
SELECT desa, sum(persons) AS "persons",
       sum(n_pbi_e) AS "eligible|PBI_JKN", sum(n_pbi_g) AS "recipients|PBI_JKN|registry",
       sum(n_pbi_eg) AS "eligible_recipients|PBI_JKN|registry",
       sum(n_pip_e) AS "eligible|PIP", sum(n_pip_g) AS "recipients|PIP|registry",
       sum(n_pip_eg) AS "eligible_recipients|PIP|registry"
FROM magg WHERE gid = 35 GROUP BY desa;

-- ---------------------------------------------------------------------------------------------- families
-- One row per family with every flag, then one aggregate per village.
CREATE TEMP TABLE fvill AS
WITH mf AS (
    SELECT fid, pkh_m, pip_m, pbi_g, pip_g, any_e FROM magg WHERE gid = 31
), rw AS (
    SELECT fid,
           bool_or(program = 'PKH') AS o_pkh, bool_or(program = 'BPNT') AS o_bpnt, bool_or(program = 'BLT_DESA') AS o_blt,
           bool_or(program = 'PBI_JKN') AS o_pbi, bool_or(program = 'PIP') AS o_pip,
           bool_or(program = 'PKH' AND nrows >= 2) AS d_pkh, bool_or(program = 'BPNT' AND nrows >= 2) AS d_bpnt,
           bool_or(program = 'BLT_DESA' AND nrows >= 2) AS d_blt
    FROM rfamp GROUP BY fid
), shared AS (
    SELECT DISTINCT fid FROM nikfam WHERE nik IN (SELECT nik FROM nikfam GROUP BY nik HAVING count(*) > 1)
), ff AS (
    SELECT f.desa,
           coalesce(f.desil <= 4 AND mf.pkh_m, false) AS e_pkh, coalesce(f.desil <= 4, false) AS e_bpnt,
           coalesce(f.desil <= 4 AND f.is_desa, false) AS e_blt, coalesce(mf.any_e, false) AS e_person,
           coalesce(f.g_pkh, false) AS g_pkh, coalesce(f.g_bpnt, false) AS g_bpnt, coalesce(f.g_blt, false) AS g_blt,
           coalesce(mf.pbi_g, false) AS g_pbi, coalesce(mf.pip_g, false) AS g_pip,
           coalesce(rw.o_pkh, false) AS o_pkh, coalesce(rw.o_bpnt, false) AS o_bpnt, coalesce(rw.o_blt, false) AS o_blt,
           coalesce(rw.o_pbi, false) AS o_pbi, coalesce(rw.o_pip, false) AS o_pip,
           coalesce(rw.d_pkh, false) AS d_pkh, coalesce(rw.d_bpnt, false) AS d_bpnt, coalesce(rw.d_blt, false) AS d_blt,
           shared.fid IS NOT NULL AS shares_nik
    FROM fam f LEFT JOIN mf ON mf.fid = f.fid LEFT JOIN rw ON rw.fid = f.fid LEFT JOIN shared ON shared.fid = f.fid
), fa AS (
    SELECT *, e_pkh OR e_bpnt OR e_blt OR e_person AS e_any, g_pkh OR g_bpnt OR g_blt OR g_pbi OR g_pip AS g_any,
           o_pkh OR o_bpnt OR o_blt OR o_pbi OR o_pip AS o_any
    FROM ff
)
-- Column names: measure|program|source; one column per cell the tables need.
SELECT desa,
    count(*) AS "families",
    count(*) FILTER (e_pkh) AS "eligible|PKH",           count(*) FILTER (e_bpnt) AS "eligible|BPNT",
    count(*) FILTER (e_blt) AS "eligible|BLT_DESA",      count(*) FILTER (e_any) AS "eligible|ANY",
    count(*) FILTER (g_pkh) AS "recipients|PKH|registry",      count(*) FILTER (o_pkh) AS "recipients|PKH|roster",
    count(*) FILTER (g_bpnt) AS "recipients|BPNT|registry",    count(*) FILTER (o_bpnt) AS "recipients|BPNT|roster",
    count(*) FILTER (g_blt) AS "recipients|BLT_DESA|registry", count(*) FILTER (o_blt) AS "recipients|BLT_DESA|roster",
    count(*) FILTER (g_any) AS "recipients|ANY|registry",      count(*) FILTER (o_any) AS "recipients|ANY|roster",
    count(*) FILTER (e_pkh AND g_pkh) AS "eligible_recipients|PKH|registry",
    count(*) FILTER (e_pkh AND o_pkh) AS "eligible_recipients|PKH|roster",
    count(*) FILTER (e_bpnt AND g_bpnt) AS "eligible_recipients|BPNT|registry",
    count(*) FILTER (e_bpnt AND o_bpnt) AS "eligible_recipients|BPNT|roster",
    count(*) FILTER (e_blt AND g_blt) AS "eligible_recipients|BLT_DESA|registry",
    count(*) FILTER (e_blt AND o_blt) AS "eligible_recipients|BLT_DESA|roster",
    count(*) FILTER (e_any AND g_any) AS "eligible_recipients|ANY|registry",
    count(*) FILTER (e_any AND o_any) AS "eligible_recipients|ANY|roster",
    count(*) FILTER (d_pkh) AS "duplicate_families|PKH", count(*) FILTER (d_bpnt) AS "duplicate_families|BPNT",
    count(*) FILTER (d_blt) AS "duplicate_families|BLT_DESA",
    count(*) FILTER (o_blt AND (o_pkh OR o_bpnt)) AS "exclusive_overlap|BLT_DESA",
    count(*) FILTER (shares_nik) AS "multi_family_nik|_T"
FROM fa GROUP BY desa;

-- The person programmes' village counts beside the family ones (villages with persons all have families).
CREATE TEMP TABLE vill AS
SELECT fv.*, pr.* EXCLUDE (desa), ps.* EXCLUDE (desa)
FROM fvill fv LEFT JOIN pregistry pr ON pr.desa = fv.desa LEFT JOIN proster ps ON ps.desa = fv.desa;

-- Every village (also those without families), every level: families live in one village, so sums roll up.
CREATE TEMP TABLE fcells AS
WITH v AS (
    SELECT w.kab, w.kec, w.desa AS village, vill.* EXCLUDE (desa)
    FROM wil w LEFT JOIN vill ON vill.desa = w.desa
), r AS (
    SELECT kab, kec, village AS desa, coalesce(sum(COLUMNS(* EXCLUDE (kab, kec, village))), 0)
    FROM v GROUP BY ROLLUP (kab, kec, village) HAVING GROUPING(kab) = 0
), u AS (
    UNPIVOT r ON COLUMNS(* EXCLUDE (kab, kec, desa)) INTO NAME k VALUE v
)
SELECT kab, kec, desa, split_part(k, '|', 1) AS measure, split_part(k, '|', 2) AS program,
       split_part(k, '|', 3) AS source, v::BIGINT AS v
FROM u;

-- Roster-only programmes (not in the profile): recipient families per village, rolled up.
CREATE TEMP TABLE unknown_programmes AS
SELECT DISTINCT program FROM ros WHERE program NOT IN (SELECT program FROM profile_programmes);

CREATE TEMP TABLE ucells AS
WITH v AS (
    SELECT w.kab, w.kec, w.desa, u.program, count(rf.fid) AS n
    FROM wil w CROSS JOIN unknown_programmes u
    LEFT JOIN (SELECT rfam.fid, rfam.program, fam.desa FROM rfam JOIN fam ON fam.fid = rfam.fid) rf
           ON rf.desa = w.desa AND rf.program = u.program
    GROUP BY ALL
)
SELECT kab, kec, desa, program, sum(n)::BIGINT AS n
FROM v GROUP BY GROUPING SETS ((program, kab), (program, kab, kec), (program, kab, kec, desa));

-- Programme order of the tables: profile, then (targeting) ANY, then roster-only programmes by name.
CREATE TEMP TABLE tprog AS
SELECT program, ord, true AS profile FROM profile_programmes
UNION ALL SELECT 'ANY', 6, true
UNION ALL SELECT program, 6 + row_number() OVER (ORDER BY program), false FROM unknown_programmes;

CREATE TEMP TABLE areas AS
SELECT DISTINCT kab, kec, desa FROM (
    SELECT kab, kec, desa FROM wil GROUP BY GROUPING SETS ((kab), (kab, kec), (kab, kec, desa)));

-- ---------------------------------------------------------------------------------------------- output
-- population_sex and population_age_sex: persons per village × age group × sex from the member aggregate.
CREATE TEMP TABLE pv AS
WITH ages AS (
    SELECT i AS a, (i * 5)::VARCHAR || '-' || (i * 5 + 4)::VARCHAR AS age_group FROM range(15) t(i)
    UNION ALL SELECT 15, '75+' UNION ALL SELECT 16, '_Z'
), sexes AS (SELECT * FROM (VALUES (1, '1'), (2, '2'), (0, '_Z')) t(s, sex))
SELECT w.kab, w.kec, w.desa, ages.age_group, sexes.sex, coalesce(p.persons, 0) AS persons
FROM wil w CROSS JOIN ages CROSS JOIN sexes
LEFT JOIN (SELECT desa, age_group, sex, persons FROM magg WHERE gid = 35) p
       ON p.desa = w.desa AND p.age_group = ages.a AND p.sex = sexes.s;

CREATE TEMP TABLE pcube AS
SELECT kab, kec, desa, coalesce(age_group, '_T') AS age_group, coalesce(sex, '_T') AS sex, sum(persons)::BIGINT AS persons
FROM pv GROUP BY ROLLUP (kab, kec, desa), CUBE (age_group, sex) HAVING GROUPING(kab) = 0;

CREATE TEMP MACRO age_ord(a) AS CASE a WHEN '75+' THEN 15 WHEN '_Z' THEN 16 WHEN '_T' THEN 17
    ELSE TRY_CAST(split_part(a, '-', 1) AS INTEGER) // 5 END;
CREATE TEMP MACRO code_ord(c) AS CASE c WHEN '_Z' THEN 1000 WHEN '_T' THEN 1001 ELSE TRY_CAST(c AS INTEGER) END;

COPY (
    SELECT "table", area_level, area_code, r405, measure, value, obs_status FROM (
        SELECT 'population_sex' AS "table", area_level(kec, desa) AS area_level, area_code(kab, kec, desa) AS area_code,
               sex AS r405, 'persons' AS measure, fmt(persons) AS value, NULL AS obs_status,
               area_rank(kec, desa) AS o1, code_ord(sex) AS o2, 0 AS o3
        FROM pcube WHERE age_group = '_T'
        UNION ALL
        SELECT 'population_sex', area_level(kec, desa), area_code(kab, kec, desa), '_T', 'families', fmt(v), NULL,
               area_rank(kec, desa), code_ord('_T'), 1
        FROM fcells WHERE measure = 'families')
    ORDER BY o1, area_code, o2, o3
) TO '{{OUT}}/data/population_sex.csv' (HEADER, DELIMITER ',');

COPY (
    SELECT 'population_age_sex' AS "table", area_level(kec, desa) AS area_level, area_code(kab, kec, desa) AS area_code,
           age_group, sex AS r405, 'persons' AS measure, fmt(persons) AS value, NULL AS obs_status
    FROM pcube
    ORDER BY area_rank(kec, desa), area_code, age_ord(age_group), code_ord(sex)
) TO '{{OUT}}/data/population_age_sex.csv' (HEADER, DELIMITER ',');

-- families_desil: families per village × desil, rolled up.
COPY (
    WITH d AS (SELECT CASE WHEN i <= 10 THEN i::VARCHAR ELSE '_Z' END AS desil FROM range(1, 12) t(i)),
    v AS (
        SELECT w.kab, w.kec, w.desa, d.desil, count(f.fid) AS n
        FROM wil w CROSS JOIN d
        LEFT JOIN fam f ON f.desa = w.desa AND coalesce(f.desil::VARCHAR, '_Z') = d.desil
        GROUP BY ALL
    ), c AS (
        SELECT kab, kec, desa, coalesce(desil, '_T') AS desil, sum(n)::BIGINT AS n
        FROM v GROUP BY ROLLUP (kab, kec, desa), CUBE (desil) HAVING GROUPING(kab) = 0
    )
    SELECT 'families_desil' AS "table", area_level(kec, desa) AS area_level, area_code(kab, kec, desa) AS area_code,
           desil, 'families' AS measure, fmt(n) AS value, NULL AS obs_status
    FROM c ORDER BY area_rank(kec, desa), area_code, code_ord(desil)
) TO '{{OUT}}/data/families_desil.csv' (HEADER, DELIMITER ',');

-- targeting: per area × programme × source (no roster source without penerima.csv). The first measure is
-- `families`, or `persons` (current members) for the person programmes PBI_JKN and PIP.
COPY (
    WITH src AS (SELECT * FROM (VALUES ('registry', 0), ('roster', 1)) t(source, s_ord) WHERE source = 'registry' OR {{HAS_ROSTER}}),
    base AS (
        SELECT a.kab, a.kec, a.desa, p.program, p.ord, p.profile, s.source, s.s_ord,
               CASE WHEN p.program IN ('PBI_JKN', 'PIP') THEN coalesce(per.v, 0) ELSE fam.v END AS families,
               el.v AS eligible,
               coalesce(rc.v, uc.n) AS recipients,
               er.v AS eligible_recipients
        FROM areas a CROSS JOIN tprog p CROSS JOIN src s
        JOIN fcells fam ON fam.measure = 'families'
             AND fam.kab = a.kab AND fam.kec IS NOT DISTINCT FROM a.kec AND fam.desa IS NOT DISTINCT FROM a.desa
        LEFT JOIN fcells per ON per.measure = 'persons'
             AND per.kab = a.kab AND per.kec IS NOT DISTINCT FROM a.kec AND per.desa IS NOT DISTINCT FROM a.desa
        LEFT JOIN fcells el ON el.measure = 'eligible' AND el.program = p.program
             AND el.kab = a.kab AND el.kec IS NOT DISTINCT FROM a.kec AND el.desa IS NOT DISTINCT FROM a.desa
        LEFT JOIN fcells rc ON rc.measure = 'recipients' AND rc.program = p.program AND rc.source = s.source
             AND rc.kab = a.kab AND rc.kec IS NOT DISTINCT FROM a.kec AND rc.desa IS NOT DISTINCT FROM a.desa
        LEFT JOIN fcells er ON er.measure = 'eligible_recipients' AND er.program = p.program AND er.source = s.source
             AND er.kab = a.kab AND er.kec IS NOT DISTINCT FROM a.kec AND er.desa IS NOT DISTINCT FROM a.desa
        LEFT JOIN ucells uc ON uc.program = p.program AND s.source = 'roster'
             AND uc.kab = a.kab AND uc.kec IS NOT DISTINCT FROM a.kec AND uc.desa IS NOT DISTINCT FROM a.desa
    ),
    measures AS (SELECT * FROM (VALUES ('families', 1), ('eligible', 2), ('recipients', 3), ('eligible_recipients', 4),
        ('eligible_non_recipients', 5), ('ineligible_recipients', 6), ('coverage_pct', 7), ('exclusion_pct', 8),
        ('inclusion_pct', 9)) t(measure, m_ord)),
    cells AS (
        SELECT b.*, m.measure, m.m_ord,
               CASE WHEN m.measure = 'families' THEN families
                    WHEN NOT profile THEN CASE WHEN m.measure = 'recipients' AND source = 'roster' THEN recipients END
                    ELSE CASE m.measure
                        WHEN 'eligible' THEN eligible
                        WHEN 'recipients' THEN recipients
                        WHEN 'eligible_recipients' THEN eligible_recipients
                        WHEN 'eligible_non_recipients' THEN eligible - eligible_recipients
                        WHEN 'ineligible_recipients' THEN recipients - eligible_recipients
                        WHEN 'coverage_pct' THEN rate(eligible_recipients, eligible)
                        WHEN 'exclusion_pct' THEN rate(eligible - eligible_recipients, eligible)
                        WHEN 'inclusion_pct' THEN rate(recipients - eligible_recipients, recipients) END
               END AS x
        FROM base b CROSS JOIN measures m
    )
    SELECT 'targeting' AS "table", area_level(kec, desa) AS area_level, area_code(kab, kec, desa) AS area_code,
           program, source,
           CASE WHEN measure = 'families' AND program IN ('PBI_JKN', 'PIP') THEN 'persons' ELSE measure END AS measure,
           fmt(x) AS value, CASE WHEN x IS NULL THEN 'M' END AS obs_status
    FROM cells ORDER BY area_rank(kec, desa), area_code, ord, s_ord, m_ord
) TO '{{OUT}}/data/targeting.csv' (HEADER, DELIMITER ',');

-- duplicates (only with a roster): roster-row measures count each row once per area (one row per area and
-- level in place / ncplace); family measures come from the village aggregate.
{{IF_ROSTER}} COPY (
    WITH prr AS (
        SELECT p.lvl, p.area, r.program, r.periode, r.nik, r.nik_invalid, p.unmatched, p.kk_only
        FROM place p JOIN ros r ON r.rowid = p.rid
    ), counts AS (
        SELECT lvl, area, program, count(*) AS roster_rows, count(*) FILTER (unmatched) AS unmatched_rows,
               count(*) FILTER (nik_invalid) AS invalid_nik_rows, count(*) FILTER (kk_only) AS kk_only_rows
        FROM prr GROUP BY ALL
    ), dup AS (    -- rows beyond the first of a (programme, periode, valid NIK) in an area; only those on 2+ rows can count
        SELECT lvl, area, program, sum(n - 1) AS duplicate_nik_rows FROM (
            SELECT lvl, area, program, periode, nik, count(*) AS n FROM prr
            WHERE (program, periode, nik) IN (SELECT (program, periode, nik) FROM ros WHERE nik IS NOT NULL
                                              GROUP BY ALL HAVING count(*) > 1)
            GROUP BY ALL)
        GROUP BY ALL
    ), nc AS (
        SELECT p.lvl, p.area, r.program, count(*) AS non_current_nik_rows
        FROM ncplace p JOIN ros r ON r.rowid = p.rid GROUP BY ALL
    ), keys AS (
        SELECT lvl, area, program FROM counts UNION SELECT lvl, area, program FROM nc
    ), rowcells AS (
        SELECT CASE k.lvl WHEN 3 THEN k.area // 1000000 WHEN 2 THEN k.area // 1000 ELSE k.area END AS kab,
               CASE k.lvl WHEN 3 THEN k.area // 1000 WHEN 2 THEN k.area END AS kec,
               CASE k.lvl WHEN 3 THEN k.area END AS desa, k.program,
               c.roster_rows, c.unmatched_rows, c.invalid_nik_rows, coalesce(d.duplicate_nik_rows, 0) AS duplicate_nik_rows,
               c.kk_only_rows, nc.non_current_nik_rows
        FROM keys k
        LEFT JOIN counts c ON c.lvl = k.lvl AND c.area = k.area AND c.program = k.program
        LEFT JOIN dup d ON d.lvl = k.lvl AND d.area = k.area AND d.program = k.program
        LEFT JOIN nc ON nc.lvl = k.lvl AND nc.area = k.area AND nc.program = k.program
    ),
    dprog AS (
        SELECT program, ord FROM tprog WHERE program <> 'ANY'
    ),
    base AS (
        SELECT a.kab, a.kec, a.desa, p.program, p.ord,
               coalesce(rc.roster_rows, 0) AS roster_rows, coalesce(rc.unmatched_rows, 0) AS unmatched_rows,
               coalesce(rc.invalid_nik_rows, 0) AS invalid_nik_rows, coalesce(rc.duplicate_nik_rows, 0) AS duplicate_nik_rows,
               coalesce(rc.kk_only_rows, 0) AS kk_only_rows, coalesce(rc.non_current_nik_rows, 0) AS non_current_nik_rows,
               df.v AS duplicate_families, eo.v AS exclusive_overlap
        FROM areas a CROSS JOIN dprog p
        LEFT JOIN rowcells rc ON rc.program = p.program
             AND rc.kab = a.kab AND rc.kec IS NOT DISTINCT FROM a.kec AND rc.desa IS NOT DISTINCT FROM a.desa
        LEFT JOIN fcells df ON df.measure = 'duplicate_families' AND df.program = p.program
             AND df.kab = a.kab AND df.kec IS NOT DISTINCT FROM a.kec AND df.desa IS NOT DISTINCT FROM a.desa
        LEFT JOIN fcells eo ON eo.measure = 'exclusive_overlap' AND eo.program = p.program
             AND eo.kab = a.kab AND eo.kec IS NOT DISTINCT FROM a.kec AND eo.desa IS NOT DISTINCT FROM a.desa
    ),
    measures AS (SELECT * FROM (VALUES ('roster_rows', 1), ('unmatched_rows', 2), ('invalid_nik_rows', 3),
        ('duplicate_nik_rows', 4), ('duplicate_families', 5), ('kk_only_rows', 6), ('non_current_nik_rows', 7),
        ('exclusive_overlap', 8)) t(measure, m_ord)),
    cells AS (
        SELECT b.kab, b.kec, b.desa, b.program, b.ord, m.measure, m.m_ord,
               CASE m.measure WHEN 'roster_rows' THEN roster_rows WHEN 'unmatched_rows' THEN unmatched_rows
                    WHEN 'invalid_nik_rows' THEN invalid_nik_rows WHEN 'duplicate_nik_rows' THEN duplicate_nik_rows
                    WHEN 'duplicate_families' THEN duplicate_families WHEN 'kk_only_rows' THEN kk_only_rows
                    WHEN 'non_current_nik_rows' THEN non_current_nik_rows WHEN 'exclusive_overlap' THEN exclusive_overlap END AS x
        FROM base b CROSS JOIN measures m
        UNION ALL
        SELECT a.kab, a.kec, a.desa, '_T', 1000, 'multi_family_nik', 9, mf.v
        FROM areas a JOIN fcells mf ON mf.measure = 'multi_family_nik'
             AND mf.kab = a.kab AND mf.kec IS NOT DISTINCT FROM a.kec AND mf.desa IS NOT DISTINCT FROM a.desa
    )
    SELECT 'duplicates' AS "table", area_level(kec, desa) AS area_level, area_code(kab, kec, desa) AS area_code,
           program, measure, fmt(x) AS value, CASE WHEN x IS NULL THEN 'M' END AS obs_status
    FROM cells ORDER BY area_rank(kec, desa), area_code, ord, m_ord
) TO '{{OUT}}/data/duplicates.csv' (HEADER, DELIMITER ',');
