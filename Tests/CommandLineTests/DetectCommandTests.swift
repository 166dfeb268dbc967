import Foundation
import Primitives
import Testing
import TestSupport
@testable import AILCommandLine
@testable import Statistics

/// `ail detect anomalies --data` end to end (the installed binary's exit codes and JSON), and a
/// seeded fuzz of the CSV time and value cells: never a crash, never exit 70, always a clear
/// error naming the column and line.
@Suite struct DetectCommandTests {
    static func write(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ail-detect-\(UUID().uuidString).csv")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// An hourly series with a daily cycle, a spike at row 300 (local times and RFC 3339 mixed).
    static func seriesCSV() -> String {
        var g = SeededGenerator(seed: 21)
        var lines = ["when,latency"]
        for t in 0..<(24 * 21) {
            let v = 100 + 10 * sin(2 * Double.pi * Double(t % 24) / 24) + g.normal() + (t == 300 ? 12 : 0)
            let stamp = TimestampText.format(microseconds: 1_700_000_000_000_000 + Int64(t) * 3_600_000_000)
            lines.append("\(t % 2 == 0 ? stamp : stamp.replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: "")),\(v)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func findsTheSpikeAndSaysWhetherItLooksAhead() throws {
        let path = try Self.write(Self.seriesCSV())
        defer { try? FileManager.default.removeItem(atPath: path) }
        let ail = try AILProcess()
        for online in [false, true] {
            let mode = online ? "--online" : "--period=auto"
            let json = try ail.json("detect", "anomalies", "--data", path, "--time", "when", "--value", "latency", mode, "--format", "json")
            #expect(json["period"] as? Int == 24)
            #expect(json["looks_ahead"] as? Bool == !online)
            let anomalies = try #require(json["anomalies"] as? [[String: Any]])
            let spike = try #require(anomalies.first { $0["time"] as? String == TimestampText.format(microseconds: 1_700_000_000_000_000 + 300 * 3_600_000_000) })
            #expect((spike["observed"] as? Double ?? 0) > (spike["expected_high"] as? Double ?? .infinity))
            #expect(spike["metric"] as? String == "latency" && spike["kind"] as? String == "point")
            for key in ["p_value", "adjusted_p_value", "expected_low", "severity", "detector", "tests"] { #expect(spike[key] != nil, "\(key)") }
        }
        let help = try ail.run("detect", "anomalies", "--help")
        #expect(help.output.contains("LOOKS AHEAD") && help.output.contains("--online"))
    }

    @Test func badCellsAreRefusedWithLineAndColumn() throws {
        let ail = try AILProcess()
        let cases: [(String, String)] = [
            ("when,latency\n2026-01-01 00:00:00,1\nyesterday,2\n", "line 3: time column 'when' has 'yesterday'"),
            ("when,latency\n2026-01-01 00:00:00,1\n2026-01-01 01:00:00,abc\n", "line 3: value column 'latency' has 'abc'"),
            ("when,latency\n2026-01-01 00:00:00,inf\n", "not a finite number"),
        ]
        for (text, message) in cases {
            let path = try Self.write(text)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let r = try ail.run("detect", "anomalies", "--data", path, "--time", "when", "--value", "latency")
            #expect(r.status == 65, "\(r.output)")
            #expect(r.output.contains(message), "\(r.output)")
        }
        let path = try Self.write("when,latency\n2026-01-01 00:00:00,1\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let unknown = try ail.run("detect", "anomalies", "--data", path, "--time", "ts", "--value", "latency")
        #expect(unknown.status == 64 && unknown.output.contains("ts"), "\(unknown.output)")
    }

    /// Seeded fuzz of the time and value cells through the reader and the detector in process:
    /// every input either reads (and detection returns) or fails with NumericsError naming a
    /// line or column. 400 mutated files.
    @Test func fuzzedCellsNeverCrash() throws {
        var g = SeededGenerator(seed: 1313)
        let pieces = ["2026-01-01", " ", "T", "12:00", ":00", "Z", "+02:00", "-", "1e308", "nan", "", ",", "\"", "\"\"", "9999-99-99", "0", "-0", ".5", "1e-320", "١٢", "\u{0}", "24:00:00", "2026-02-30 00:00", "1949-01", "--", "+", "e"]
        for round in 0..<400 {
            var lines = ["t,v"]
            for i in 0..<Int(g.next() % 40) {
                var base = TimestampText.format(microseconds: Int64(i) * 3_600_000_000)
                var value = String(g.normal())
                if g.bernoulli(0.3) { base = (0..<Int(g.next() % 4)).map { _ in pieces[Int(g.next() % UInt64(pieces.count))] }.joined() }
                if g.bernoulli(0.3) { value = (0..<Int(g.next() % 3)).map { _ in pieces[Int(g.next() % UInt64(pieces.count))] }.joined() }
                lines.append("\(base),\(value)")
            }
            let bytes = Array(lines.joined(separator: "\n").utf8)
            do {
                let series = try bytes.withUnsafeBufferPointer { try TimeSeriesCSV.read(bytes: $0, time: "t", value: "v", source: "fuzz\(round)") }
                #expect(series.times.count == series.values.count)
                _ = AnomalyDetector.detect(series.values, options: .init(period: 1, window: 5))
                _ = AnomalyDetector.detect(series.values, options: .init(period: 1, window: 5, online: true))
            } catch let error as NumericsError {
                #expect(error.message.contains("fuzz\(round)") || error.code == .unknownColumn || error.code == .invalidData, "\(error)")
            }
        }
    }
}
