import ArgumentParser
import Foundation

/// How a command prints its result: human-readable text or one JSON document.
public enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text
    case json
}

/// The `--format` option every command shares.
public struct FormatOption: ParsableArguments {
    @Option(name: .long, help: "Output format: text or json.")
    public var format: OutputFormat = .text

    public init() {}
}

/// Writes JSON for `--format json`: sorted keys, so output is stable and diffable.
enum JSONOutput {
    static func print<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(value)
        Swift.print(String(decoding: data, as: UTF8.self))
    }
}

/// Prints a status line to standard error (keeps standard output clean for data and JSON).
func note(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
