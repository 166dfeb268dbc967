import Foundation
import Primitives

/// A series read from a CSV file: one value per time, in time order.
public struct TimeSeries: Sendable {
    /// Microseconds since 1970-01-01 UTC, in time order (or file order, see `TimeSeriesCSV`).
    public let times: [Int64]
    /// The values; NaN where the cell was empty (missing: skipped by the detectors).
    public let values: [Double]
    /// How many values were missing.
    public var missing: Int { values.lazy.filter { !$0.isFinite }.count }
    /// Rows whose time equals the previous row's (kept: the rows are treated as consecutive).
    public var repeatedTimes: Int { zip(times, times.dropFirst()).lazy.filter { $0 == $1 }.count }

    public init(times: [Int64], values: [Double]) {
        self.times = times
        self.values = values
    }

    /// The median spacing between consecutive times, in seconds (0 with fewer than two rows).
    public var medianSpacingSeconds: Double {
        guard times.count >= 2 else { return 0 }
        return RobustScale.median(zip(times.dropFirst(), times).map { Double(abs($0 - $1)) / 1e6 })
    }

    /// Whole numbers of rows per day and per week at the median spacing, when the spacing
    /// divides them (within 0.1%): the seasonal periods worth trying.
    public var calendarPeriods: [Int] {
        let d = medianSpacingSeconds
        guard d > 0 else { return [] }
        return [86_400.0, 604_800.0].compactMap { span -> Int? in
            let p = span / d, r = p.rounded()
            return r >= 2 && abs(p - r) <= 0.001 * p ? Int(r) : nil
        }
    }

    /// The running-median window when there is no season: one day of rows (at least 5, at
    /// most a quarter of the series), or 25 rows when the spacing is a day or more.
    public var defaultWindow: Int {
        let d = medianSpacingSeconds
        let perDay = d > 0 && d < 86_400 ? Int((86_400 / d).rounded()) : 25
        return max(5, min(perDay, max(5, times.count / 4)))
    }
}

/// Reads a time column and a value column from CSV text with the project's CSV reader. Times
/// are RFC 3339 or the local forms of data files (`2013-12-02 21:15:00`, read as UTC) through
/// `TimestampText`; values are numbers, an empty cell is missing. Rows are sorted by time (a
/// stable sort: rows with the same time keep their file order, and are counted in
/// `TimeSeries.repeatedTimes`), or kept in file order with `sorted: false`, as NAB reads them.
public enum TimeSeriesCSV {
    /// The series of `bytes` (a CSV file with a header row); `source` names it in errors.
    public static func read(bytes: UnsafeBufferPointer<UInt8>, time: String, value: String, source: String, sorted: Bool = true) throws -> TimeSeries {
        let frame = try DataFrame(csvBytes: bytes, types: [time: .text, value: .text])
        let timeColumn = try frame.column(named: time), valueColumn = try frame.column(named: value)
        var rows: [(Int64, Double)] = []
        rows.reserveCapacity(frame.rowCount)
        for row in 0..<frame.rowCount {
            let line = row + frame.rowNumberBase
            let timeText = (timeColumn.text(at: row) ?? "").trimmingCharacters(in: .whitespaces)
            guard let t = TimestampText.microseconds(timeText, form: .local) else {
                throw NumericsError(.invalidData, "\(source) line \(line): time column '\(time)' has '\(clip(timeText))', not a timestamp (RFC 3339 such as 2026-03-01T14:00:00Z, or 2013-12-02 21:15:00 read as UTC)")
            }
            let valueText = (valueColumn.text(at: row) ?? "").trimmingCharacters(in: .whitespaces)
            var v = Double.nan
            if !valueText.isEmpty {
                guard let parsed = Double(valueText), parsed.isFinite else {
                    throw NumericsError(.invalidData, "\(source) line \(line): value column '\(value)' has '\(clip(valueText))', not a finite number (leave the cell empty for a missing value)")
                }
                v = parsed
            }
            rows.append((t, v))
        }
        guard !rows.isEmpty else { throw NumericsError(.invalidData, "\(source): no rows") }
        if sorted {
            rows = rows.indices.sorted { (rows[$0].0, $0) < (rows[$1].0, $1) }.map { rows[$0] }
        }
        return TimeSeries(times: rows.map(\.0), values: rows.map(\.1))
    }

    /// The series of the CSV file at `path`.
    public static func read(path: String, time: String, value: String, sorted: Bool = true) throws -> TimeSeries {
        let data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
        return try data.withUnsafeBytes { raw in
            try read(bytes: raw.bindMemory(to: UInt8.self), time: time, value: value, source: path, sorted: sorted)
        }
    }

    /// At most 60 characters of a cell, for error messages.
    static func clip(_ s: String) -> String { s.count > 60 ? String(s.prefix(57)) + "..." : s }
}
