import ArgumentParser
import Foundation
import Store
import Tracking

/// `ail ingest FILE|-`: batch-load NDJSON events, idempotently.
struct Ingest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Load NDJSON events (one per line) through COPY; re-sending a file never duplicates an event.",
        discussion: """
            Each line is one event of the ingest format (schemas/tracking-event.schema.json; see \
            README "Batch ingest"). A UTF-8 byte order mark before the first line is skipped. Valid events are COPYed into staging tables and moved with \
            INSERT … ON CONFLICT (event_id) DO NOTHING, one transaction per chunk; refused lines go to \
            ingest_rejects with their line number and reason. Ends with one summary line \
            (received, inserted, duplicates, rejected) and exits with status 65 if any line was \
            refused. A run that dies half way is simply run again and ends with exact counts.

            Examples:
              ail ingest events.ndjson
              cat events.ndjson | ail ingest - --format json
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: FormatOption
    @Argument(help: "NDJSON file, or - for standard input.") var file: String
    @Option(name: .customLong("chunk-size"), parsing: .unconditional, help: "Lines per transaction (the result does not depend on it).") var chunkSize: Int = 20_000
    @Option(name: .customLong("max-line-bytes"), parsing: .unconditional, help: "Longest accepted line in bytes.") var maxLineBytes: Int = 1 << 20
    @Flag(help: "No progress lines on standard error.") var quiet = false

    func validate() throws {
        guard chunkSize >= 1 else { throw ValidationError("--chunk-size: out of range (expected at least 1, got \(chunkSize))") }
        guard maxLineBytes >= 64 else { throw ValidationError("--max-line-bytes: out of range (expected at least 64, got \(maxLineBytes))") }
    }

    func run() throws {
        var isDirectory: ObjCBool = false
        if file != "-", !FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) || isDirectory.boolValue {
            throw InputError("cannot open \(file): \(isDirectory.boolValue ? "it is a directory" : "no such file")")
        }
        let connection = try database.connect()
        let loader = EventLoader(connection: connection, pseudonymizer: try Pseudonymizer(dataFolder: DataFolder.resolve()))
        let ingester = BatchIngester(loader: loader, decoder: EventDecoder(maximumLineLength: maxLineBytes), chunkSize: chunkSize)
        let started = Date()
        var lastProgress = started
        let summary = try ingester.ingest(path: file) { running in
            let now = Date()
            guard !quiet, now.timeIntervalSince(lastProgress) >= 2 else { return }
            lastProgress = now
            let rate = Double(running.received) / max(now.timeIntervalSince(started), 1e-9)
            note("ail ingest: \(running) (\(Int(rate)) lines/s)")
        }
        if output.format == .json {
            try JSONOutput.print(summary)
        } else {
            print(summary.description)
        }
        if summary.rejected > 0 { throw ExitCode(65) }
    }
}
