import ArgumentParser
import Foundation
import Testing
@testable import AILCommandLine
@testable import Statistics

/// End-to-end: `ail forecast …` parsed by the real root command.
@Suite struct ForecastCommandTests {
    static func report(_ arguments: [String]) throws -> ForecastReport {
        let command = try #require(try AIL.parseAsRoot(["forecast"] + arguments) as? Forecast)
        return try command.makeReport()
    }

    static func temp(_ text: String, _ ext: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ail-forecast-\(UUID().uuidString).\(ext)")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// statsmodels' deterministic Holt–Winters through the command line: --beta is Holt's β*,
    /// --init the known states; the 12 forecasts match the textbook reference to 1e-9.
    @Test func fixedHoltWintersMatchesTheReference() throws {
        let reference = try #require(try Refdata.json("forecasting/airpassengers_holtwinters.json") as? [String: Any])
        let hw = try #require((reference["models"] as? [String: Any])?["fixed_params_known_init"] as? [String: Any])
        let initial: [String: Any] = ["level": hw["initial_level"] as Any, "trend": hw["initial_trend"] as Any, "seasonal": hw["initial_seasonal"] as Any]
        let initPath = try Self.temp(String(decoding: try JSONSerialization.data(withJSONObject: initial), as: UTF8.self), "json")
        let data = try Refdata.url("forecasting/airpassengers.csv").path
        let report = try Self.report(["--data", data, "--time", "month", "--value", "passengers", "--period", "12", "--horizon", "12",
                                      "--model", "AAA", "--alpha", "0.2", "--beta", "0.1", "--gamma", "0.3", "--init", initPath, "--format", "json"])
        let textbook = try Refdata.doubles(hw, "forecast_12_textbook")
        #expect(report.forecast.count == 12 && report.forecast.first?.time == "1961-01" && report.forecast.last?.time == "1961-12")
        for (row, expected) in zip(report.forecast, textbook) { #expect(abs(row.mean - expected) < 1e-9) }
        #expect(abs(report.sse - 50147.367671514396) < 1e-6)
        #expect(report.model == "ETS(A,A,A)" && report.estimated == 0 && report.intervalMethod == "analytic")
        let first = try #require(report.forecast.first?.intervals)
        #expect(first.map(\.level) == [80, 95])
        // h = 1: mean ± z·σ
        let half = 1.959963984540054 * report.sigma2.squareRoot()
        #expect(abs(first[1].upper - (textbook[0] + half)) < 1e-6)
        let json = try JSONEncoder().encode(report)
        #expect(String(decoding: json, as: UTF8.self).contains("\"aicc\""))
    }

    /// Timestamps are read as UTC and future times step by the last interval.
    @Test func dailyTimestampsStepByADay() throws {
        var csv = "day,score\n"
        for d in 0..<30 { csv += String(format: "2026-03-%02d 00:00,%.1f\n", d + 1, 4 + 0.1 * Double(d % 7) + 0.01 * Double(d)) }
        let report = try Self.report(["--data", try Self.temp(csv, "csv"), "--time", "day", "--value", "score", "--period", "7", "--horizon", "3", "--model", "ANA"])
        #expect(report.forecast.map(\.time) == ["2026-03-31T00:00:00Z", "2026-04-01T00:00:00Z", "2026-04-02T00:00:00Z"])
        #expect(report.code == "ANA")
    }

    @Test func refusalsNameTheFieldAndExitWithTheRightStatus() throws {
        let good = try Self.temp("t,y\n2020-01,1\n2020-02,2\n2020-03,3\n2020-04,4\n2020-05,5\n", "csv")
        let base = ["--data", good, "--time", "t", "--value", "y", "--period", "1", "--horizon", "2"]
        for bad in [["--model", "XYZ"], ["--level", "80,120"], ["--horizon", "0"]] {
            do {
                _ = try AIL.parseAsRoot(["forecast"] + base + bad)
                Issue.record("\(bad) accepted")
            } catch {
                #expect(AIL.exitCode(for: error).rawValue == 64, "\(bad)")
            }
        }
        let badTime = try Self.temp("t,y\n2020-01,1\n2020-13,2\n", "csv")
        #expect(throws: InputError.self) { try Self.report(["--data", badTime, "--time", "t", "--value", "y", "--period", "1", "--horizon", "1"]) }
        let duplicate = try Self.temp("t,y\n2020-01,1\n2020-01,2\n", "csv")
        #expect(throws: InputError.self) { try Self.report(["--data", duplicate, "--time", "t", "--value", "y", "--period", "1", "--horizon", "1"]) }
        #expect(throws: NumericsError.self) { try Self.report(base + ["--model", "ANN", "--beta", "0.2"]) }
        #expect(throws: CocoaError.self) { try Self.report(["--data", "/nonexistent.csv", "--time", "t", "--value", "y", "--period", "1", "--horizon", "1"]) }
    }
}
