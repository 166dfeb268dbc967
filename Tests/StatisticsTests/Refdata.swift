import Foundation
import Testing

/// Locates reference data: `../shared/refdata` beside the package root when it exists and holds
/// the file asked for, otherwise the copy bundled in `Fixtures` (see Fixtures/README.md).
enum Refdata {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func url(_ relative: String) throws -> URL {
        let shared = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/refdata").appendingPathComponent(relative)
        if FileManager.default.fileExists(atPath: shared.path) { return shared }
        guard let base = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile)
        }
        return base.appendingPathComponent(relative)
    }

    static func json(_ relative: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url(relative)))
    }

    /// The non-empty numeric array under `key`: a renamed or emptied key fails the test instead of
    /// letting a loop over it pass without checking anything.
    static func doubles(_ object: [String: Any], _ key: String) throws -> [Double] {
        let values = try #require(object[key] as? [Any], "reference key \(key) missing").map { double($0) }
        try #require(!values.isEmpty && values.allSatisfy { !$0.isNaN }, "reference key \(key) is empty or not numeric")
        return values
    }

    static func double(_ any: Any?) -> Double {
        if let s = any as? String { return Double(s) ?? .nan }
        if let d = any as? Double { return d }
        if let n = any as? NSNumber { return n.doubleValue }
        return .nan
    }
}

/// Log relative error as NIST defines it: −log₁₀(|x−c|/|c|), or −log₁₀|x| when c = 0; capped at 15.
func lre(_ x: Double, _ c: Double) -> Double {
    if x == c { return 15 }
    let v = c == 0 ? -log10(abs(x)) : -log10(abs(x - c) / abs(c))
    return min(v, 15)
}

func relErr(_ x: Double, _ c: Double) -> Double { c == 0 ? abs(x) : abs(x - c) / abs(c) }
