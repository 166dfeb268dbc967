import Foundation
import Store

/// `ail-bench copy [--rows N] [--reps R]`: loads N rows (default 1,000,000) of ai_interactions
/// through the Store's COPY and through `psql \copy` of the same file, alternating, R times
/// each (default 3), and prints the median rates and their ratio.
func runCopyBenchmark(_ arguments: [String]) throws {
    let rows = Int(Bench.option("--rows", in: arguments) ?? "") ?? 1_000_000
    let reps = Int(Bench.option("--reps", in: arguments) ?? "") ?? 3
    let dsn = try Bench.dsn()
    guard let psql = Bench.which("psql") else { throw StoreError(code: .invalidArgument, message: "psql not found on PATH") }

    let folder = URL(fileURLWithPath: ".bench")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let file = folder.appendingPathComponent("ai_interactions_\(rows).tsv")
    let columns = "(event_id, session_id, interaction_type, model_name, success, response_time_ms, tokens_in, tokens_out, error_type, error_message, context_tags, created_at)"
    if !FileManager.default.fileExists(atPath: file.path) {
        try writeInteractions(rows: rows, to: file)
    }
    let size = (try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0

    let connection = try Connection(dsn: dsn)
    try MigrationRunner.embedded.migrate(connection)
    try connection.executeScript("TRUNCATE ai_interactions; INSERT INTO ai_sessions (session_id) SELECT 'bench_' || g FROM generate_series(0, 999) g ON CONFLICT DO NOTHING")

    func loadThroughStore() throws -> Double {
        try connection.executeScript("TRUNCATE ai_interactions; CHECKPOINT")
        var loaded = 0
        let seconds = try Bench.time {
            loaded = try connection.copyIn("COPY ai_interactions \(columns) FROM STDIN") { writer in
                guard let input = FileHandle(forReadingAtPath: file.path) else { throw StoreError(code: .invalidArgument, message: "cannot read \(file.path)") }
                defer { try? input.close() }
                while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
                    try chunk.withUnsafeBytes { try writer.write($0) }
                }
            }
        }
        guard loaded == rows else { throw StoreError(code: .copyFailed, message: "Store COPY loaded \(loaded) rows, expected \(rows)") }
        return seconds
    }
    func loadThroughPsql() throws -> Double {
        try connection.executeScript("TRUNCATE ai_interactions; CHECKPOINT")
        let seconds = try Bench.time {
            try Bench.run(psql, [dsn, "-v", "ON_ERROR_STOP=1", "-q", "-c", "\\copy ai_interactions \(columns) FROM '\(file.path)'"])
        }
        let count = try connection.execute("SELECT count(*) FROM ai_interactions").first?.value(0, as: Int.self) ?? 0
        guard count == rows else { throw StoreError(code: .copyFailed, message: "psql loaded \(count) rows, expected \(rows)") }
        return seconds
    }

    // Alternate which goes first so neither always meets the freshly truncated, checkpointed table.
    var storeTimes: [Double] = [], psqlTimes: [Double] = []
    for rep in 0..<reps {
        if rep % 2 == 0 {
            storeTimes.append(try loadThroughStore()); psqlTimes.append(try loadThroughPsql())
        } else {
            psqlTimes.append(try loadThroughPsql()); storeTimes.append(try loadThroughStore())
        }
        print(String(format: "  run %d: Store %.2f s, psql %.2f s", rep + 1, storeTimes[rep], psqlTimes[rep]))
    }
    try connection.executeScript("TRUNCATE ai_interactions")

    let store = Bench.median(storeTimes), peer = Bench.median(psqlTimes)
    print("COPY \(rows) rows of ai_interactions (\(size / 1_000_000) MB text), median of \(reps)")
    print(String(format: "  Store COPY   %7.2f s  %10.0f rows/s", store, Double(rows) / store))
    print(String(format: "  psql \\copy   %7.2f s  %10.0f rows/s", peer, Double(rows) / peer))
    print(String(format: "  ratio Store/psql (rate): %.2fx   (goal >= 0.90x)", peer / store))
}

/// Writes deterministic interactions in COPY text format, built with the Store's row encoder.
private func writeInteractions(rows: Int, to file: URL) throws {
    FileManager.default.createFile(atPath: file.path, contents: nil)
    guard let out = FileHandle(forWritingAtPath: file.path) else { throw StoreError(code: .invalidArgument, message: "cannot write \(file.path)") }
    defer { try? out.close() }
    let types = ["user_query", "tool_call", "code_generation", "validation"]
    let models = ["claude-sonnet", "gemini-pro", "gpt-4o", "local-coder"]
    var state: UInt64 = 0x2545_F491_4F6C_DD1D
    func next() -> UInt64 { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return state }
    let start = 1_767_225_600.0  // 2026-01-01
    var buffer = ""
    for i in 0..<rows {
        let r = next()
        var row = CopyTextRow()
        row.append(UUID().uuidString.lowercased())
        row.append("bench_\(r % 1000)")
        row.append(types[Int(r >> 10 & 3)])
        row.append(models[Int(r >> 12 & 3)])
        let success = (r >> 14) % 10 != 0
        row.append(r >> 20 & 31 == 0 ? nil : (success ? "t" : "f"))
        row.append(r >> 25 & 15 == 0 ? nil : PostgresText.double(Double(r >> 30 & 0xFFFF) / 7.0))
        row.append(String(r >> 40 & 0xFFF))
        row.append(String(r >> 52 & 0x7FF))
        row.append(success ? nil : "timeout")
        row.append(success ? nil : "tool timed out after 30 s\twaiting for \"bash\"")
        row.append(PostgresText.array(["db", "sql"].prefix(Int(r & 3) % 3).map { $0 }))
        row.append(PostgresText.timestamp(Date(timeIntervalSince1970: start + Double(i) * 7.77)))
        buffer += row.terminatedLine
        if buffer.utf8.count > 1 << 20 { out.write(Data(buffer.utf8)); buffer = "" }
    }
    out.write(Data(buffer.utf8))
}
