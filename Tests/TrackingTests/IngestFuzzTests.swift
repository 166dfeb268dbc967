import Foundation
import Store
import Testing
import TestSupport
@testable import Tracking
import Primitives

/// A seeded fuzzer over the ingest path: simulator events, mutated the ways clients get them
/// wrong (repeated or conflicting event ids, shifted times, refused offsets, flipped bytes,
/// missing and unknown keys, huge, negative and `-0` numbers, over-long names, CRLF, truncation,
/// lines out of order), ingested at chunk sizes 1, 37 and the default.
///
/// Checks: no run throws (an `ail ingest` would exit 70), `received = inserted + duplicates +
/// rejected`, the counts and the stored rows are the same at every chunk size, and a rerun
/// inserts nothing and refuses as many lines. The in-suite slice is small; `make fuzz` runs
/// `AIL_FUZZ_ROUNDS` rounds (seeds 1…n) of `AIL_FUZZ_LINES` lines each.
@Suite(.tags(.heavy), .enabled(if: HeavyTests.enabled, HeavyTests.reason)) struct IngestFuzzTests {
    static var rounds: Int { Int(ProcessInfo.processInfo.environment["AIL_FUZZ_ROUNDS"] ?? "") ?? 1 }
    static var lineCount: Int { Int(ProcessInfo.processInfo.environment["AIL_FUZZ_LINES"] ?? "") ?? 300 }

    @Test func mutatedEventsKeepTheCountsAndNeverStopTheRun() throws {
        for seed in 1...Self.rounds {
            try round(seed: UInt64(seed), lines: Self.lineCount)
        }
    }

    func round(seed: UInt64, lines count: Int) throws {
        var valid: [String] = []
        try WorkloadSimulator(developers: 2, days: 3, seed: seed).run { valid.append($0) }
        var rng = SeededGenerator(seed: seed &* 7919)
        var lines: [[UInt8]] = []
        var k = 0
        while lines.count < count {
            let line = valid[k % valid.count]
            k += 1
            lines.append(contentsOf: Self.mutate(line, earlier: valid[(k * 31) % valid.count], rng: &rng))
        }
        var file = Data()
        for line in lines { file.append(contentsOf: line); file.append(0x0A) }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ail-fuzz-\(seed)-\(UUID().uuidString).ndjson")
        try file.write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }

        var outcomes: [(IngestSummary, [String])] = []
        for chunk in [1, 37, 20_000] {
            let db = try TestDatabase.create()
            let c = try db.connect()
            let first = try Self.ingest(c, url, chunk: chunk)
            #expect(first.received == first.inserted + first.duplicates + first.rejected, "seed \(seed) chunk \(chunk): \(first)")
            outcomes.append((first, try Self.snapshot(c)))
            if ProcessInfo.processInfo.environment["AIL_FUZZ_VERBOSE"] != nil { print("fuzz seed \(seed) chunk \(chunk): \(first)") }
            if chunk == 37 {
                let again = try Self.ingest(c, url, chunk: 20_000)
                #expect(again.inserted == 0 && again.rejected == first.rejected && again.received == first.received,
                        "seed \(seed) rerun: \(again) after \(first)")
                #expect(try Self.snapshot(c) == outcomes.last!.1, "seed \(seed): a rerun changed the stored rows")
            }
        }
        for (chunkIndex, outcome) in outcomes.enumerated().dropFirst() {
            #expect(outcome.0 == outcomes[0].0, "seed \(seed): counts at chunk #\(chunkIndex) \(outcome.0) vs chunk 1 \(outcomes[0].0)")
            #expect(outcome.1 == outcomes[0].1, "seed \(seed): stored rows differ between chunk sizes")
        }
    }

    static func ingest(_ c: Connection, _ url: URL, chunk: Int) throws -> IngestSummary {
        try BatchIngester(loader: EventLoader(connection: c, pseudonymizer: Pseudonymizer(key: Data("fuzz".utf8))),
                          decoder: EventDecoder(maximumLineLength: 4096), chunkSize: chunk).ingest(path: url.path)
    }

    /// Everything stored, as text: sessions, every event table, and the refused lines (without
    /// surrogate keys, and without the session row's insertion time).
    static func snapshot(_ c: Connection) throws -> [String] {
        var out: [String] = []
        for table in ["ai_sessions", "ai_interactions", "tool_usage_analytics", "code_generation_events", "user_feedback",
                      "context_awareness_events", "learning_events"] {
            let sessions = table == "ai_sessions"
            let row = sessions ? "to_jsonb(t) - 'id' - 'created_at'" : "to_jsonb(t) - 'id'"
            out += try c.execute("SELECT (\(row))::text FROM \(table) t ORDER BY \(sessions ? "session_id" : "event_id")")
                .map { "\(table) \(try $0.value(0, as: String.self) ?? "")" }
        }
        out += try c.execute("SELECT line_number || ' ' || reason_code || ' ' || reason FROM ingest_rejects ORDER BY line_number")
            .map { try $0.value(0, as: String.self) ?? "" }
        return out
    }

    /// One valid line becomes one or more lines, each mutated one way (or kept).
    static func mutate(_ line: String, earlier: String, rng: inout SeededGenerator) -> [[UInt8]] {
        let bytes = Array(line.utf8)
        func replacing(_ pattern: String, _ template: String) -> String {
            guard let regex = try? NSRegularExpression(pattern: pattern) else { return line }
            return regex.stringByReplacingMatches(in: line, range: NSRange(line.startIndex..., in: line), withTemplate: template)
        }
        switch rng.next() % 20 {
        case 0: return [bytes, bytes]                                                  // identical retry
        case 1: return [bytes, Array(replacing(#""(rating|lines_generated|tokens_in)":\d+"#, #""$1":2"#).utf8)]  // conflicting retry
        case 2: return [Array(replacing(#"T(\d\d):"#, "T0$1:").utf8)]                  // an earlier time (hour 0x)
        case 3: return [Array(replacing(#"(T\d\d:\d\d:\d\d(\.\d+)?)Z"#, "$1+16:00").utf8)]  // an offset PostgreSQL refuses
        case 4: return [Array(replacing(#"(T\d\d:\d\d:\d\d(\.\d+)?)Z"#, "$1-15:59").utf8)]  // an offset it accepts
        case 5:                                                                        // a flipped byte
            var b = bytes
            let i = Int(rng.next() % UInt64(b.count))
            b[i] ^= UInt8(1 << (rng.next() % 8))
            return [b]
        case 6: return [Array(replacing(#","success":(true|false)"#, "").utf8)]        // a key removed
        case 7: return [Array((String(line.dropLast()) + #","surprise":1}"#).utf8)]    // an unknown key
        case 8: return [Array(bytes.prefix(Int(rng.next() % UInt64(bytes.count))))]   // truncated
        case 9: return [Array(earlier.utf8), bytes]                                    // out of order
        case 10: return [Array(replacing(#"("(?:execution_time_ms|response_time_ms|complexity)":)[0-9.]+"#, "$1-0").utf8)]
        case 11: return [Array(replacing(#"("(?:tokens_in|lines_generated|rating)":)\d+"#, "$13000000000").utf8)]
        case 12: return [Array(replacing(#"("(?:tool_name|language|model|generation_id)":")"#, "$1" + String(repeating: "z", count: 201)).utf8)]
        case 13: return [bytes + [0x0D]]                                               // CRLF
        case 14: return [Array(replacing(#""ended_at":"2"#, #""ended_at":"1"#).utf8)]  // an end centuries early
        case 15: return [Array(replacing(#""(session_id)":"([^"]*)""#, #""$1":"$2x""#).utf8)]  // another session
        default: return [bytes]
        }
    }
}
