import Foundation
import Testing
@testable import Statistics

/// A short slice of `make nab`: NAB's art_daily_jumpsup (4,032 five-minute rows, one labelled
/// window) through the detector, batch and online, scored with the standard profile read from
/// NAB's profiles.json. The whole corpus runs in `make nab`.
@Suite struct NABSliceTests {
    func load() throws -> (TimeSeries, [ClosedRange<Int>], NABScore.CostMatrix) {
        let name = "artificialWithAnomaly/art_daily_jumpsup.csv"
        let series = try TimeSeriesCSV.read(path: Refdata.url("nab/data/" + name).path, time: "timestamp", value: "value", sorted: false)
        let windowsJSON = try JSONSerialization.jsonObject(with: Data(contentsOf: Refdata.url("nab/combined_windows_subset.json")))
        let pairs = try #require((windowsJSON as? [String: [[String]]])?[name])
        let windows = try NABEvaluation.windows(pairs, in: series, name: name)
        let profiles = try JSONSerialization.jsonObject(with: Data(contentsOf: Refdata.url("nab/profiles.json"))) as? [String: Any]
        let m = try #require((profiles?["standard"] as? [String: Any])?["CostMatrix"] as? [String: Double])
        return (series, windows, NABScore.CostMatrix(tpWeight: m["tpWeight"]!, fpWeight: m["fpWeight"]!, fnWeight: m["fnWeight"]!, tnWeight: m["tnWeight"]!))
    }

    @Test func windowRowsAndDailySeason() throws {
        let (series, windows, costs) = try load()
        #expect(series.values.count == 4032 && series.repeatedTimes == 0)
        // 2014-04-10 16:15 is row 9·288 + 16·12 + 3 = 2787; 2014-04-12 01:45 is row 11·288 + 21 = 3189
        #expect(windows == [2787...3189])
        #expect(costs == .standard)
        #expect(series.calendarPeriods == [288, 2016])
        #expect(NABEvaluation.options(for: series, online: false).period == 288)
    }

    @Test func jumpIsDetectedInsideTheWindowBatchAndOnline() throws {
        let (series, windows, costs) = try load()
        for online in [false, true] {
            let result = NABEvaluation.evaluate(series, windows: windows, online: online, costs: costs)
            #expect(result.score.detectedWindows == 1, "online \(online)")
            // the score agrees with scoring the same detections by hand through NABScore
            let again = NABScore.score(rows: 4032, detections: result.detections, windows: windows, costs: costs)
            #expect(again == result.score)
            // a detected window and n false alarms score at least (0 − 0.11·n + 1)/2·100 > 0 here
            #expect(result.score.normalized > 50 - 5.5 * Double(result.score.falsePositives), "online \(online): \(result.score)")
            print("NAB art_daily_jumpsup \(online ? "online" : "batch"): windows detected \(result.score.detectedWindows)/1, false alarms \(result.score.falsePositives), score \(String(format: "%.1f", result.score.normalized))")
        }
    }
}
