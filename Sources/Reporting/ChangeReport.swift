import Microdata
import Profile
import Protection
import Publishing
import Tabulation

/// The "since the last update" section of a comparison (`regtab compare`): presentation tables laid out from the
/// protected change cubes with `TableBuilder`, the villages ranked by the change in eligible families receiving
/// nothing, the three largest movements in plain words for the briefing, and the notes that say how families were
/// matched. Everything is read from protected cells; a sentence whose figure is hidden is left out.
enum ChangeReport {
    static let sectionTitle = Bilingual(id: "Sejak Pembaruan Terakhir", en: "Since the Last Update")

    static func m(_ id: String, _ idText: String, _ en: String) -> MeasureSpec {
        MeasureSpec(id: id, kind: .computed(decimals: 0), label: Bilingual(id: idText, en: en))
    }

    static let familyMeasures: [MeasureSpec] = [
        m("persons_before", "Penduduk sebelumnya", "Persons before"), m("persons_after", "Penduduk sekarang", "Persons now"),
        m("persons_net", "Perubahan penduduk", "Change in persons"),
        m("families_before", "Keluarga sebelumnya", "Families before"), m("families_after", "Keluarga sekarang", "Families now"),
        m("families_net", "Perubahan keluarga", "Change in families"),
        m("families_in", "Keluarga masuk", "Families in"), m("families_out", "Keluarga keluar", "Families out"),
        m("families_new", "Keluarga baru", "New families"), m("families_gone", "Keluarga hilang", "Families gone"),
        m("families_moved_in", "Pindah masuk", "Moved in"), m("families_moved_out", "Pindah keluar", "Moved out"),
        m("matched_by_key", "Cocok lewat kunci keluarga", "Matched by family key"), m("matched_by_kk", "Cocok lewat No. KK", "Matched by No. KK"),
        m("desil1_4_before", "Desil 1–4 sebelumnya", "Desil 1–4 before"), m("desil1_4_after", "Desil 1–4 sekarang", "Desil 1–4 now"),
        m("desil1_4_net", "Perubahan desil 1–4", "Change in desil 1–4"),
        m("desil1_4_entering", "Masuk desil 1–4", "Entering desil 1–4"), m("desil1_4_leaving", "Keluar desil 1–4", "Leaving desil 1–4"),
    ]
    static let targetingMeasures: [MeasureSpec] = [
        m("eligible_before", "Layak sebelumnya", "Eligible before"), m("eligible_after", "Layak sekarang", "Eligible now"),
        m("eligible_net", "Perubahan layak", "Change in eligible"),
        m("newly_eligible", "Baru layak", "Newly eligible"), m("no_longer_eligible", "Tidak lagi layak", "No longer eligible"),
        m("recipients_before", "Penerima sebelumnya", "Recipients before"), m("recipients_after", "Penerima sekarang", "Recipients now"),
        m("recipients_net", "Perubahan penerima", "Change in recipients"),
        m("recipients_gained", "Penerima bertambah", "Recipients gained"), m("recipients_lost", "Penerima berkurang", "Recipients lost"),
        m("eligible_non_recipients_before", "Layak tidak menerima sebelumnya", "Eligible non-recipients before"),
        m("eligible_non_recipients_after", "Layak tidak menerima sekarang", "Eligible non-recipients now"),
        m("eligible_non_recipients_net", "Perubahan layak tidak menerima", "Change in eligible non-recipients"),
        m("eligible_non_recipients_entering", "Layak tidak menerima: masuk", "Eligible non-recipients: in"),
        m("eligible_non_recipients_leaving", "Layak tidak menerima: keluar", "Eligible non-recipients: out"),
    ]

    static let flowNote = Bilingual(
        id: "Arus dihitung per wilayah: keluarga masuk ke suatu kelompok di wilayah ini bila sekarang termasuk dan sebelumnya tidak (keluarga baru, pindah masuk, atau statusnya berubah); sebelumnya + masuk − keluar = sekarang di setiap wilayah. Perpindahan antar desa dalam satu kecamatan tidak tampak di tingkat kecamatan.",
        en: "Flows are counted per area: a family enters a group in this area when it is in it now and was not before (new, moved in, or its status changed); before + in − out = now in every area. A move between two villages of one subdistrict does not show at subdistrict level.")
    static let unitNote = Bilingual(
        id: "Semua angka perubahan program dalam keluarga; untuk PBI JKN dan PIP: keluarga dengan sedikitnya satu anggota yang layak atau menerima.",
        en: "All programme changes are in families; for PBI JKN and PIP: families with at least one member who is eligible or receives it.")

    static func make(_ p: ChangeProtection.Outcome, profile: Profile, mainSource: String, beforeName: String, afterName: String,
                     writtenRestricted: String?) -> ComparisonOutput {
        let change = p.change
        var programLabels: [String: Bilingual] = [TargetingResult.anyProgramme: Bilingual(id: "Program apa pun", en: "Any programme")]
        for prog in profile.rules.programmes { programLabels[prog.id] = prog.label }
        var desilLabels: [String: Bilingual] = ["1_4": Bilingual(id: "Desil 1–4", en: "Desil 1–4"), "5": Bilingual(id: "Desil 5", en: "Desil 5"),
                                                "6_10": Bilingual(id: "Desil 6–10", en: "Desil 6–10"),
                                                "_Z": Bilingual(id: "Tanpa desil", en: "Not ranked"),
                                                "new": Bilingual(id: "Keluarga baru", en: "New family"), "gone": Bilingual(id: "Keluarga hilang", en: "Family gone")]
        desilLabels["_T"] = .total
        let builder = TableBuilder(codebook: profile.codebook, report: profile.report,
                                   extraLabels: ["program": programLabels, "desil_before": desilLabels, "desil_after": desilLabels])
        let source = change.targeting.dimensions[1].codes.contains(mainSource) ? mainSource : TargetingResult.sources[0]
        let sourceNote = source == TargetingResult.sources[1]
            ? Bilingual(id: "Penerima menurut daftar penerima kementerian.", en: "Recipients according to the ministries' rosters.")
            : Bilingual(id: "Penerima menurut pengakuan keluarga saat registrasi.", en: "Recipients as the families said at registration.")
        let period = Bilingual(id: " (\(beforeName) → \(afterName))", en: " (\(beforeName) → \(afterName))")
        func title(_ id: String, _ en: String) -> Bilingual { Bilingual(id: id + period.id, en: en + period.en) }
        func build(_ cube: ResultCube, _ spec: TableSpec) -> DisplayTable {
            var t = builder.build(cube, spec: spec)
            t.section = sectionTitle
            return t
        }
        var tables: [DisplayTable] = []
        tables.append(build(change.families, TableSpec(
            id: "change_families", number: "7.1.1", section: "change",
            title: title("Perubahan Penduduk, Keluarga dan Keluarga Desil 1–4 Menurut Kecamatan dan Desa/Kelurahan",
                         "Change in Persons, Families and Desil 1–4 Families by Subdistrict and Village"),
            unit: .family, dimensions: [], measures: familyMeasures, stub: .desa,
            columns: ["persons_before", "persons_after", "families_before", "families_after", "families_new", "families_gone",
                      "families_moved_in", "families_moved_out", "desil1_4_before", "desil1_4_after", "desil1_4_entering", "desil1_4_leaving"]
                .map { ColumnBlock(measure: $0, by: []) },
            notes: [flowNote])))
        tables.append(build(change.targeting, TableSpec(
            id: "change_exclusion", number: "7.1.2", section: "change",
            title: title("Perubahan Keluarga Layak, Penerima dan Layak Tidak Menerima (Program Apa Pun) Menurut Kecamatan dan Desa/Kelurahan",
                         "Change in Eligible Families, Recipients and Eligible Non-recipients (Any Programme) by Subdistrict and Village"),
            unit: .family, dimensions: ["program", "source"], measures: targetingMeasures, stub: .desa,
            columns: ["eligible_before", "eligible_after", "newly_eligible", "no_longer_eligible", "recipients_before", "recipients_after",
                      "recipients_gained", "recipients_lost", "eligible_non_recipients_before", "eligible_non_recipients_after",
                      "eligible_non_recipients_net"]
                .map { ColumnBlock(measure: $0, by: [], fixed: ["program": TargetingResult.anyProgramme, "source": source]) },
            notes: [flowNote, sourceNote])))
        var programmeTable = build(change.targeting, TableSpec(
            id: "change_programmes", number: "7.1.3", section: "change",
            title: title("Perubahan Kelayakan dan Penerimaan Menurut Program", "Change in Eligibility and Receipt by Programme"),
            unit: .family, dimensions: ["program", "source"], measures: targetingMeasures, stub: .dimension("program"),
            columns: ["eligible_before", "eligible_after", "newly_eligible", "no_longer_eligible", "recipients_before", "recipients_after",
                      "recipients_gained", "recipients_lost", "eligible_non_recipients_net"]
                .map { ColumnBlock(measure: $0, by: [], fixed: ["source": source]) },
            notes: [unitNote, sourceNote]))
        programmeTable.stubHeader = Bilingual(id: "Program", en: "Programme")
        tables.append(programmeTable)
        var desilTable = build(change.desil, TableSpec(
            id: "change_desil", number: "7.1.4", section: "change",
            title: title("Perpindahan Keluarga Antar Kelompok Desil", "Families Moving Between Desil Groups"),
            unit: .family, dimensions: ["desil_before", "desil_after"], measures: [m("families", "Desil sekarang", "Desil now")],
            stub: .dimension("desil_before"), columns: [ColumnBlock(measure: "families", by: ["desil_after"])],
            notes: [Bilingual(id: "Baris: kelompok desil sebelumnya; kolom: sekarang. Keluarga dihitung di wilayahnya sekarang (keluarga hilang: di wilayah sebelumnya). Tabel per kecamatan ada di data/change_desil.csv.",
                              en: "Rows: desil group before; columns: now. Families are counted where they live now (families gone: where they lived). The table per subdistrict is in data/change_desil.csv.")]))
        desilTable.stubHeader = Bilingual(id: "Desil sebelumnya", en: "Desil before")
        tables.append(desilTable)
        tables += rankings(change.targeting, source: source, sourceNote: sourceNote, period: period, report: profile.report)

        // Notes: matching, and what the change tables count.
        let mt = change.matching
        let notes = [Bilingual(
            id: "Perbandingan \(beforeName) → \(afterName): \(mt.byKey) keluarga dicocokkan lewat kunci keluarga, \(mt.byKK) lewat No. KK (pindah wilayah); \(mt.new) keluarga baru, \(mt.gone) keluarga tidak ada lagi.",
            en: "Comparison \(beforeName) → \(afterName): \(mt.byKey) families matched by the family key, \(mt.byKK) by No. KK (moved); \(mt.new) new families, \(mt.gone) families no longer present.")]
            + (writtenRestricted == nil ? [] : [Bilingual(
                id: "Daftar keluarga yang kelayakan atau penerimaannya berubah ditulis ke folder terbatas dan tidak termasuk dalam publikasi ini.",
                en: "The list of families whose eligibility or receipt changed was written to the restricted folder and is not part of this publication.")])
        return ComparisonOutput(cubes: change.cubes, section: ReportSection(id: "change", title: sectionTitle, tables: tables),
                                notes: notes, briefingFindings: movements(change, source: source, programmes: profile.rules.programmes),
                                summary: ["Matched \(mt.byKey) families by family key, \(mt.byKK) by No. KK; \(mt.new) new, \(mt.gone) gone"]
                                    + p.summaryLines(),
                                change: change, protection: p)
    }

    /// Villages with the largest increase and the largest decrease in eligible families receiving nothing (any
    /// programme); a village whose change is hidden (x) is not ranked.
    static func rankings(_ t: ResultCube, source: String, sourceNote: Bilingual, period: Bilingual, report: ReportSpec) -> [DisplayTable] {
        let areas = t.areas
        func cell(_ v: Int, _ m: String) -> DisplayCell {
            let c = t.cell(AreaRef(.desa, v), [TargetingResult.anyProgramme, source], m)
            return DisplayCell(value: c?.value, status: c?.status ?? .notApplicable)
        }
        func net(_ v: Int) -> Double? { let c = cell(v, "eligible_non_recipients_net"); return c.status == .value ? c.value : nil }
        let columns = [DisplayColumn(label: Bilingual(id: "Layak tidak menerima sebelumnya", en: "Eligible non-recipients before")),
                       DisplayColumn(label: Bilingual(id: "Layak tidak menerima sekarang", en: "Eligible non-recipients now")),
                       DisplayColumn(label: Bilingual(id: "Perubahan", en: "Change"))]
        func rows(_ order: [Int]) -> [DisplayRow] {
            order.map { v in
                DisplayRow(label: Bilingual("\(areas.villages[v].name) (\(areas.kecamatans[areas.villages[v].kecamatan].name))"), kind: .detail,
                           cells: ["eligible_non_recipients_before", "eligible_non_recipients_after", "eligible_non_recipients_net"].map { cell(v, $0) })
            }
        }
        let code = { (v: Int) in areas.villages[v].code }
        let up = Rankings.ranked(areas.villages.count, code: code) { net($0) }
        let down = Rankings.ranked(areas.villages.count, code: code) { net($0).map { -$0 } }
        let stub = Bilingual(id: "Desa/Kelurahan (Kecamatan)", en: "Village (Subdistrict)")
        let note = [Rankings.unrankedNote, sourceNote]
        return [
            DisplayTable(id: "change_exclusion_up", number: "7.2.1",
                         title: Bilingual(id: "10 Desa dengan Pertambahan Keluarga Layak Tidak Menerima Terbesar" + period.id,
                                          en: "10 Villages Where Eligible Families Receiving Nothing Increased Most" + period.en),
                         stubHeader: stub, columns: columns, rows: rows(up), notes: note, source: report.source,
                         section: sectionTitle, twin: "change_targeting"),
            DisplayTable(id: "change_exclusion_down", number: "7.2.2",
                         title: Bilingual(id: "10 Desa dengan Pengurangan Keluarga Layak Tidak Menerima Terbesar" + period.id,
                                          en: "10 Villages Where Eligible Families Receiving Nothing Decreased Most" + period.en),
                         stubHeader: stub, columns: columns, rows: rows(down), notes: note, source: report.source,
                         section: sectionTitle, twin: "change_targeting"),
        ]
    }

    /// The three largest movements at kabupaten level, in plain words (published cells only).
    static func movements(_ change: ChangeResult, source: String, programmes: [ProgrammeSpec]) -> [Bilingual] {
        guard change.families.areas.kabupatens.count == 1 else { return [] }
        let kab = AreaRef(.kabupaten, 0)
        func published(_ c: Cell?) -> Double? { c?.status == .value ? c?.value : nil }
        func n(_ v: Double) -> String { NumberFormatting.format(v, style: .integer, language: .id) }
        func ne(_ v: Double) -> String { NumberFormatting.format(v, style: .integer, language: .en) }
        var candidates: [(Double, Bilingual)] = []
        func add(_ v: Double?, _ id: (String) -> String, _ en: (String) -> String) {
            guard let v, v > 0 else { return }
            candidates.append((v, Bilingual(id: id(n(v)), en: en(ne(v)))))
        }
        let f = change.families
        add(published(f.cell(kab, [], "families_new")), { "\($0) keluarga baru tercatat" }, { "\($0) new families were registered" })
        add(published(f.cell(kab, [], "families_gone")), { "\($0) keluarga tidak ada lagi dalam registrasi" }, { "\($0) families are no longer in the registry" })
        add(published(f.cell(kab, [], "desil1_4_entering")), { "\($0) keluarga masuk desil 1–4" }, { "\($0) families entered desil 1–4" })
        add(published(f.cell(kab, [], "desil1_4_leaving")), { "\($0) keluarga keluar dari desil 1–4" }, { "\($0) families left desil 1–4" })
        let t = change.targeting
        let any = TargetingResult.anyProgramme
        add(published(t.cell(kab, [any, source], "newly_eligible")), { "\($0) keluarga baru layak menerima bantuan" }, { "\($0) families became eligible for assistance" })
        add(published(t.cell(kab, [any, source], "no_longer_eligible")), { "\($0) keluarga tidak lagi layak" }, { "\($0) families are no longer eligible" })
        for p in programmes {
            add(published(t.cell(kab, [p.id, source], "recipients_gained")), { "\($0) keluarga mulai menerima \(p.label.id)" }, { "\($0) families started receiving \(p.label.en)" })
            add(published(t.cell(kab, [p.id, source], "recipients_lost")), { "\($0) keluarga berhenti menerima \(p.label.id)" }, { "\($0) families stopped receiving \(p.label.en)" })
        }
        let top = candidates.enumerated().sorted { ($0.element.0, -$0.offset) > ($1.element.0, -$1.offset) }.prefix(3).map(\.element.1)
        guard !top.isEmpty else { return [] }
        return [Bilingual(id: "Sejak pembaruan terakhir: " + top.map(\.id).joined(separator: "; ") + ".",
                          en: "Since the last update: " + top.map(\.en).joined(separator: "; ") + ".")]
    }
}
