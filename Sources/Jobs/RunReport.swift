import Foundation

/// What is kept of a finished command: the tail of its output, the reason it failed, and the
/// rows it processed when it says so.
public struct RunReport: Sendable, Equatable {
    /// Exit status (128 + signal when killed).
    public var exitCode: Int32
    /// The last ``maximumLines`` lines of combined output, at most ``maximumBytes`` bytes.
    public var outputTail: String
    /// Why it failed, nil on success: the last `error:` line of its output, else the last line,
    /// else the exit status.
    public var error: String?
    /// Rows processed, when the output reports them (see ``rowsProcessed(in:)``).
    public var rowsProcessed: Int?

    public static let maximumLines = 40
    public static let maximumBytes = 8192

    public init(exitCode: Int32, output: String) {
        self.exitCode = exitCode
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var tail = lines.suffix(Self.maximumLines).joined(separator: "\n")
        while tail.utf8.count > Self.maximumBytes, let newline = tail.firstIndex(of: "\n") {
            tail = String(tail[tail.index(after: newline)...])
        }
        if tail.utf8.count > Self.maximumBytes { tail = String(decoding: Array(tail.utf8.suffix(Self.maximumBytes - 3)), as: UTF8.self) }
        outputTail = tail
        rowsProcessed = Self.rowsProcessed(in: lines)
        guard exitCode != 0 else { error = nil; return }
        let meaningful = lines.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let reason = meaningful.last(where: { $0.hasPrefix("error:") || $0.contains("\"error\"") }) ?? meaningful.last
        let status = exitCode > 128 ? "killed by signal \(exitCode - 128)" : "exit \(exitCode)"
        error = String((reason.map { "\(status): \($0)" } ?? status).prefix(2000))
    }

    /// JSON keys read as a row count, in order of preference (MADlib's name first, then the
    /// ingest summary's).
    static let rowKeys = ["rows_processed", "num_rows_processed", "inserted"]

    /// Rows processed as the command reports them: from its final JSON document
    /// (`rows_processed`, `num_rows_processed` or `inserted`), or from an ingest summary line
    /// (`received 10, inserted 8, duplicates 2, rejected 0`).
    static func rowsProcessed(in lines: [String]) -> Int? {
        // The last JSON object: the text from the last line that opens one to the end.
        for start in lines.indices.reversed() where lines[start].hasPrefix("{") {
            let text = lines[start...].joined(separator: "\n")
            if let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] {
                for key in rowKeys { if let n = object[key] as? Int, n >= 0 { return n } }
                return nil
            }
        }
        for line in lines.reversed() {
            guard let range = line.range(of: #"(^|[ ,])inserted:? ([0-9]+)"#, options: .regularExpression) else { continue }
            return Int(line[range].split(separator: " ").last ?? "")
        }
        return nil
    }
}
