import Foundation
import Store
import Testing

/// Locates reference data: `../shared/refdata` beside the package root when it exists and holds
/// the file asked for, otherwise the copy bundled in `Fixtures` (see Fixtures/README.md).
enum Refdata {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The file for `relative`, after checking its SHA-256 against `Fixtures/SHA256SUMS`: a
    /// reference file that was edited, truncated or is not listed fails the test that reads it.
    static func url(_ relative: String) throws -> URL {
        let shared = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/refdata").appendingPathComponent(relative)
        let url = FileManager.default.fileExists(atPath: shared.path) ? shared : try fixtures().appendingPathComponent(relative)
        try verify(url, relative)
        return url
    }

    static func fixtures() throws -> URL {
        guard let base = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile)
        }
        return base
    }

    /// `relative path → lowercase hex SHA-256` from `Fixtures/SHA256SUMS` (`sha256sum` format).
    static func manifest() throws -> [String: String] {
        let text = try String(contentsOf: fixtures().appendingPathComponent("SHA256SUMS"), encoding: .utf8)
        var sums: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2 else { continue }
            sums[parts[1].trimmingCharacters(in: .whitespaces)] = String(parts[0])
        }
        return sums
    }

    static func verify(_ url: URL, _ relative: String) throws {
        let expected = try #require(try manifest()[relative], "reference file \(relative) has no checksum in Fixtures/SHA256SUMS")
        let actual = MigrationRunner.checksum(try Data(contentsOf: url))
        try #require(actual == expected, "reference file \(url.path) has SHA-256 \(actual), SHA256SUMS says \(expected)")
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

/// Every bundled reference file is listed in SHA256SUMS with its current checksum.
@Suite struct ReferenceChecksumTests {
    @Test func everyFixtureMatchesTheManifest() throws {
        let base = try Refdata.fixtures()
        let sums = try Refdata.manifest()
        #expect(sums.count >= 25)
        let files = try #require(FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey]))
        var listed = 0
        for case let url as URL in files where (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
            let relative = String(url.standardizedFileURL.path.dropFirst(base.standardizedFileURL.path.count + 1))
            if relative == "SHA256SUMS" || relative == "README.md" || relative.hasSuffix(".py") { continue }
            try Refdata.verify(url, relative)
            listed += 1
        }
        #expect(listed == sums.count)
    }
}
