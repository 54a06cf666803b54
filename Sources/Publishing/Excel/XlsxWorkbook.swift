import CXlsxWriter
import Foundation

/// The look of one Excel cell. libxlsxwriter formats belong to the workbook and every distinct one adds an entry to
/// styles.xml, so cells share formats through this key instead of creating one per cell.
struct XlsxStyle: Hashable {
    enum Align: Hashable { case general, left, center, right }
    var bold = false
    var italic = false
    var fontSize: Double? = nil
    var indent = 0
    var numberFormat: String? = nil
    var align: Align = .general
    var verticalCenter = false
    var verticalTop = false
    var wrap = false
    /// Thin border on all four sides (header cells).
    var box = false
    var topBorder = false
    var bottomBorder = false
    var grey = false
    /// Font colour and solid background fill as RGB (from the layout file); nil = none.
    var color: UInt32? = nil
    var fill: UInt32? = nil
    var underline = false
}

/// A thin, throwing wrapper around libxlsxwriter's workbook: every C return code is checked and turned into a
/// `PublishingError` that names the file and the failing call. Not shared across tasks: one renderer call owns it.
final class XlsxWorkbook {
    let path: String
    private var workbook: UnsafeMutablePointer<lxw_workbook>?
    private var formats: [XlsxStyle: UnsafeMutablePointer<lxw_format>] = [:]
    /// Workbook font applied to every format (layout file); nil = libxlsxwriter's default, Calibri 11.
    var fontName: String?
    var fontSize: Double?

    init(path: String) throws {
        self.path = path
        guard let workbook = workbook_new(path) else {
            throw PublishingError.excel(path: path, operation: "workbook_new", code: LXW_ERROR_MEMORY_MALLOC_FAILED.rawValue,
                                        message: "could not create the workbook")
        }
        self.workbook = workbook
    }

    deinit {
        // Only reached with an open workbook after an error: free it without writing a half-finished file.
        if let workbook { lxw_workbook_free(workbook) }
    }

    /// Sets title, subject and comments, and a fixed creation time: libxlsxwriter otherwise stamps the current time
    /// into docProps/core.xml and two runs on the same data would differ.
    func setProperties(title: String, subject: String, comments: String, created: Int) throws {
        let book = try open("workbook_set_properties")
        // libxlsxwriter copies the strings; these C copies only need to outlive the call.
        let strings = [title, subject, comments].map { text in text.withCString { strdup($0) } }
        defer { strings.forEach { free($0) } }
        var properties = lxw_doc_properties()
        properties.title = strings[0]
        properties.subject = strings[1]
        properties.comments = strings[2]
        properties.created = time_t(created)
        try check(workbook_set_properties(book, &properties), "workbook_set_properties")
    }

    func addSheet(named name: String) throws -> XlsxSheet {
        let book = try open("workbook_add_worksheet")
        // workbook_add_worksheet only returns NULL; the validation call says why a name is refused.
        try check(workbook_validate_sheet_name(book, name), "workbook_add_worksheet(\"\(name)\")")
        guard let sheet = workbook_add_worksheet(book, name) else {
            throw PublishingError.excel(path: path, operation: "workbook_add_worksheet(\"\(name)\")",
                                        code: LXW_ERROR_MEMORY_MALLOC_FAILED.rawValue, message: "could not add the sheet")
        }
        return XlsxSheet(pointer: sheet, workbook: self)
    }

    func format(_ style: XlsxStyle) throws -> UnsafeMutablePointer<lxw_format> {
        if let existing = formats[style] { return existing }
        let book = try open("workbook_add_format")
        guard let format = workbook_add_format(book) else {
            throw PublishingError.excel(path: path, operation: "workbook_add_format", code: LXW_ERROR_MEMORY_MALLOC_FAILED.rawValue,
                                        message: "out of memory")
        }
        if style.bold { format_set_bold(format) }
        if style.italic { format_set_italic(format) }
        if let name = fontName { format_set_font_name(format, name) }
        if let size = style.fontSize ?? fontSize { format_set_font_size(format, size) }
        if style.indent > 0 { format_set_indent(format, UInt8(clamping: style.indent)) }
        if let numberFormat = style.numberFormat { format_set_num_format(format, numberFormat) }
        switch style.align {
        case .general: break
        case .left: format_set_align(format, UInt8(LXW_ALIGN_LEFT.rawValue))
        case .center: format_set_align(format, UInt8(LXW_ALIGN_CENTER.rawValue))
        case .right: format_set_align(format, UInt8(LXW_ALIGN_RIGHT.rawValue))
        }
        if style.verticalCenter { format_set_align(format, UInt8(LXW_ALIGN_VERTICAL_CENTER.rawValue)) }
        if style.verticalTop { format_set_align(format, UInt8(LXW_ALIGN_VERTICAL_TOP.rawValue)) }
        if style.wrap { format_set_text_wrap(format) }
        let thin = UInt8(LXW_BORDER_THIN.rawValue)
        if style.box { format_set_border(format, thin) }
        if style.topBorder { format_set_top(format, thin) }
        if style.bottomBorder { format_set_bottom(format, thin) }
        if style.grey { format_set_font_color(format, 0x595959) }
        if let color = style.color { format_set_font_color(format, color) }
        if style.underline { format_set_underline(format, UInt8(LXW_UNDERLINE_SINGLE.rawValue)) }
        if let fill = style.fill {
            format_set_pattern(format, UInt8(LXW_PATTERN_SOLID.rawValue))
            format_set_bg_color(format, fill)
        }
        formats[style] = format
        return format
    }

    /// A native chart owned by the workbook (freed with it); insert it into a sheet with `XlsxSheet.insertChart`.
    func addChart(_ type: lxw_chart_type) throws -> UnsafeMutablePointer<lxw_chart> {
        let book = try open("workbook_add_chart")
        guard let chart = workbook_add_chart(book, UInt8(type.rawValue)) else {
            throw PublishingError.excel(path: path, operation: "workbook_add_chart", code: LXW_ERROR_MEMORY_MALLOC_FAILED.rawValue,
                                        message: "could not add the chart")
        }
        return chart
    }

    /// The blue underlined look of a hyperlink; a link's display text is written over the URL with it.
    func urlFormat() throws -> UnsafeMutablePointer<lxw_format>? {
        workbook_get_default_url_format(try open("workbook_get_default_url_format"))
    }

    /// Writes the file. After this the wrapper is spent.
    func close() throws {
        let book = try open("workbook_close")
        workbook = nil  // workbook_close frees the workbook even when it fails
        try check(workbook_close(book), "workbook_close")
    }

    func check(_ code: lxw_error, _ operation: @autoclosure () -> String) throws {
        guard code != LXW_NO_ERROR else { return }
        throw PublishingError.excel(path: path, operation: operation(), code: code.rawValue,
                                    message: String(cString: lxw_strerror(code)))
    }

    private func open(_ operation: String) throws -> UnsafeMutablePointer<lxw_workbook> {
        guard let workbook else {
            throw PublishingError.excel(path: path, operation: operation, code: LXW_ERROR_PARAMETER_VALIDATION.rawValue,
                                        message: "workbook already closed")
        }
        return workbook
    }
}

/// One worksheet of an `XlsxWorkbook`; rows and columns are 0-based as in libxlsxwriter. Indices are clamped into
/// the C types so a table too large for Excel ends in libxlsxwriter's range error, thrown, rather than a trap.
struct XlsxSheet {
    let pointer: UnsafeMutablePointer<lxw_worksheet>
    let workbook: XlsxWorkbook

    /// Writes text as a string cell. libxlsxwriter's C API never interprets text as a formula, which is exactly what
    /// data labels need: a village called "=HYPERLINK(…)" must stay text.
    func string(_ row: Int, _ column: Int, _ text: String, _ style: XlsxStyle = XlsxStyle()) throws {
        try workbook.check(worksheet_write_string(pointer, lxw_row_t(clamping: row), lxw_col_t(clamping: column), text, try workbook.format(style)),
                           "worksheet_write_string(\(row), \(column))")
    }

    func number(_ row: Int, _ column: Int, _ value: Double, _ style: XlsxStyle) throws {
        try workbook.check(worksheet_write_number(pointer, lxw_row_t(clamping: row), lxw_col_t(clamping: column), value, try workbook.format(style)),
                           "worksheet_write_number(\(row), \(column))")
    }

    func blank(_ row: Int, _ column: Int, _ style: XlsxStyle) throws {
        try workbook.check(worksheet_write_blank(pointer, lxw_row_t(clamping: row), lxw_col_t(clamping: column), try workbook.format(style)),
                           "worksheet_write_blank(\(row), \(column))")
    }

    /// Merges the range and writes `text` into it as a string (worksheet_merge_range uses worksheet_write_string).
    func merge(_ firstRow: Int, _ firstColumn: Int, _ lastRow: Int, _ lastColumn: Int, _ text: String, _ style: XlsxStyle) throws {
        if firstRow == lastRow && firstColumn == lastColumn { return try string(firstRow, firstColumn, text, style) }
        try workbook.check(worksheet_merge_range(pointer, lxw_row_t(clamping: firstRow), lxw_col_t(clamping: firstColumn), lxw_row_t(clamping: lastRow),
                                                 lxw_col_t(clamping: lastColumn), text, try workbook.format(style)),
                           "worksheet_merge_range(\(firstRow), \(firstColumn), \(lastRow), \(lastColumn))")
    }

    /// A hyperlink whose visible text is `text`: the link is written first, then the text over it as a plain string.
    func link(_ row: Int, _ column: Int, url: String, text: String, style: XlsxStyle? = nil) throws {
        let format = try style.map { try workbook.format($0) } ?? workbook.urlFormat()
        try workbook.check(worksheet_write_url(pointer, lxw_row_t(clamping: row), lxw_col_t(clamping: column), url, format),
                           "worksheet_write_url(\(row), \(column))")
        try workbook.check(worksheet_write_string(pointer, lxw_row_t(clamping: row), lxw_col_t(clamping: column), text, format),
                           "worksheet_write_string(\(row), \(column))")
    }

    func columnWidth(_ first: Int, _ last: Int, _ width: Double) throws {
        try workbook.check(worksheet_set_column(pointer, lxw_col_t(clamping: first), lxw_col_t(clamping: last), width, nil),
                           "worksheet_set_column(\(first), \(last))")
    }

    func rowHeight(_ row: Int, _ height: Double) throws {
        try workbook.check(worksheet_set_row(pointer, lxw_row_t(clamping: row), height, nil), "worksheet_set_row(\(row))")
    }

    /// Places `chart` with its top-left corner `xOffset`/`yOffset` pixels from cell (`row`, `column`); `description` is
    /// the chart's alternative text for screen readers.
    func insertChart(_ row: Int, _ column: Int, _ chart: UnsafeMutablePointer<lxw_chart>, xOffset: Int = 0, yOffset: Int = 0,
                     width: Int = 480, height: Int = 288, description: String) throws {
        try description.withCString { text in
            var options = lxw_chart_options()
            options.x_offset = Int32(clamping: xOffset)
            options.y_offset = Int32(clamping: yOffset)
            // libxlsxwriter sizes a chart as its default 480 × 288 pixels times these factors.
            options.x_scale = Double(width) / 480
            options.y_scale = Double(height) / 288
            options.description = UnsafeMutablePointer(mutating: text)
            try workbook.check(worksheet_insert_chart_opt(pointer, lxw_row_t(clamping: row), lxw_col_t(clamping: column), chart, &options),
                               "worksheet_insert_chart(\(row), \(column))")
        }
    }

    func freeze(row: Int, column: Int) {
        worksheet_freeze_panes(pointer, lxw_row_t(clamping: row), lxw_col_t(clamping: column))
    }

    /// A4 portrait on exactly one page (the briefing sheet).
    func printOnePagePortrait() {
        worksheet_set_portrait(pointer)
        worksheet_set_paper(pointer, 9)
        worksheet_fit_to_pages(pointer, 1, 1)
    }

    /// A4 landscape, one page wide, `repeatRows` printed on every page.
    func printSetup(repeatRows: ClosedRange<Int>?) throws {
        worksheet_set_landscape(pointer)
        worksheet_set_paper(pointer, 9)  // 9 = A4 in Excel's paper table
        worksheet_fit_to_pages(pointer, 1, 0)
        if let rows = repeatRows {
            try workbook.check(worksheet_repeat_rows(pointer, lxw_row_t(clamping: rows.lowerBound), lxw_row_t(clamping: rows.upperBound)),
                               "worksheet_repeat_rows")
        }
    }
}
