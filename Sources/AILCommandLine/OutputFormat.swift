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

/// The one JSON writer of every command's `--format json`: sorted keys (stable, diffable output),
/// slashes unescaped, pretty or compact (one line, for NDJSON logs and error objects).
enum JSONOutput {
    /// Prints `value` (Codable; dates as ISO 8601), pretty.
    static func print<T: Encodable>(_ value: T) throws {
        Swift.print(try text(value))
    }

    /// `value` as JSON text (Codable; dates as ISO 8601), pretty.
    static func text<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// `object` (JSONSerialization values) as JSON text. JSON has no NaN or infinity, so a
    /// double that is not finite (an F statistic with no slopes, a standard error that cannot be
    /// estimated) is written as null.
    static func text(_ object: [String: Any], pretty: Bool) throws -> String {
        var options: JSONSerialization.WritingOptions = [.sortedKeys, .withoutEscapingSlashes]
        if pretty { options.insert(.prettyPrinted) }
        let data = try JSONSerialization.data(withJSONObject: finite(object), options: options)
        return String(decoding: data, as: UTF8.self)
    }

    private static func finite(_ value: Any) -> Any {
        switch value {
        case let d as Double: return d.isFinite ? d : NSNull()
        case let dict as [String: Any]: return dict.mapValues(finite)
        case let array as [Any]: return array.map(finite)
        default: return value
        }
    }
}

/// Prints a status line to standard error (keeps standard output clean for data and JSON).
func note(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
