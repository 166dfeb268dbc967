import ArgumentParser
import Analytics
import Foundation
import Primitives

/// Options shared by the model commands: where the file form of the registry lives.
struct RegistryOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Folder of the registry's file form (models/<model>/<version>.json).", valueName: "DIR"))
    var modelsDir: String = "models"

    var directory: URL { URL(fileURLWithPath: modelsDir, isDirectory: true) }
}

/// `2026-03-01` or an RFC 3339 time → microseconds since 1970 (UTC).
func parseTime(_ text: String, option: String) throws -> Int64 {
    if let m = TimestampText.seconds(rfc3339: text) { return Int64((m * 1_000_000).rounded()) }
    if let s = TimestampText.seconds(rfc3339: text + "T00:00:00Z") { return Int64((s * 1_000_000).rounded()) }
    throw ValidationError("\(option) must be a date (2026-03-01) or an RFC 3339 time (2026-03-01T12:00:00Z); got '\(text)'")
}

/// A number for text output: 4 significant digits.
func fmt(_ x: Double?) -> String {
    guard let x, x.isFinite else { return "—" }
    return String(format: "%.4g", x)
}
