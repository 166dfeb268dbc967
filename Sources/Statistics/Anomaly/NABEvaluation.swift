import Foundation
import Primitives

/// Runs the anomaly detector on one NAB series and scores its detections (the onset of each
/// finding) with `NABScore`.
public enum NABEvaluation {
    /// One series' outcome.
    public struct Result: Sendable {
        public var score: NABScore.SeriesScore
        public var detections: [Int]
        public var period: Int
    }

    /// The labelled windows (time pairs as in `combined_windows.json`) as row ranges of `series`;
    /// a window edge that is not a row time is refused, as NAB's `index()` would.
    public static func windows(_ pairs: [[String]], in series: TimeSeries, name: String) throws -> [ClosedRange<Int>] {
        try pairs.map { pair in
            guard pair.count == 2,
                  let a = TimestampText.microseconds(pair[0], form: .local), let b = TimestampText.microseconds(pair[1], form: .local),
                  let i = rowIndex(a, series.times), let j = rowIndex(b, series.times), i <= j else {
                throw NumericsError(.invalidData, "\(name): window \(pair) does not name two row times in order")
            }
            return i...j
        }
    }

    static func rowIndex(_ t: Int64, _ times: [Int64]) -> Int? {
        times.firstIndex(of: t)   // the first row with that time, as NAB's list.index
    }

    /// The detector's options for `series`: the calendar period with the strongest season (or
    /// none), the series' default window, and the given mode and false-alarm rate.
    public static func options(for series: TimeSeries, online: Bool, falseAlarmRate: Double = 0.01) -> AnomalyDetectorOptions {
        let period = SeasonalityChoice.choose(series.values, candidates: series.calendarPeriods)
        return AnomalyDetectorOptions(falseAlarmRate: falseAlarmRate, period: period, window: series.defaultWindow, online: online)
    }

    /// Detects and scores one series.
    public static func evaluate(_ series: TimeSeries, windows: [ClosedRange<Int>], online: Bool,
                                costs: NABScore.CostMatrix = .standard) -> Result {
        let options = options(for: series, online: online)
        let findings = AnomalyDetector.detect(series.values, options: options)
        let detections = findings.map(\.start)
        return Result(score: NABScore.score(rows: series.values.count, detections: detections, windows: windows, costs: costs),
                      detections: detections, period: options.period)
    }
}
