import Foundation
import Primitives
import Testing
@testable import Statistics

/// The FIMI transaction reader: separators, blank lines, refusals naming the line, and a seeded fuzz.
@Suite struct FIMIReaderTests {
    static func rows(_ set: TransactionSet) -> [[Int32]] { (0 ..< set.count).map { Array(set[$0]) } }

    @Test func separatorsBlankLinesAndDuplicates() throws {
        let text = "3 1 2\n\t5  4 \r\n\n   \n7 7 6"
        let set = try FIMIReader.parse(Array(text.utf8))
        #expect(Self.rows(set) == [[1, 2, 3], [4, 5], [], [], [6, 7]])
        #expect(Self.rows(try FIMIReader.parse(Array("1 2\n3\n".utf8))) == [[1, 2], [3]])
        #expect(try FIMIReader.parse([UInt8]()).count == 0)
        #expect(Self.rows(try FIMIReader.parse(Array("\n".utf8))) == [[]])
        #expect(Self.rows(try FIMIReader.parse(Array("999999999".utf8))) == [[999_999_999]])
    }

    @Test(arguments: [
        ("1 2\n3 x\n", "line 2", "'x'"),
        ("1\n2\n-3\n", "line 3", "'-3'"),
        ("12a 4", "line 1", "'12a'"),
        ("1\n1234567890\n", "line 2", "too long"),
        ("1\n2 \u{e9}\n", "line 2", "\\xC3\\xA9"),
        ("1,2\n", "line 1", "'1,2'"),
    ])
    func refusalsNameTheLineAndToken(text: String, line: String, token: String) throws {
        let error = try #require(throws: NumericsError.self) { try FIMIReader.parse(Array(text.utf8)) }
        #expect(error.code == .invalidData)
        #expect(error.message.hasPrefix(line + ":"), "\(error.message)")
        #expect(error.message.contains(token), "\(error.message)")
    }

    @Test func nonUTF8BytesAreRefusedWithTheLine() throws {
        let bytes: [UInt8] = Array("1 2\n".utf8) + [0xFF, 0xFE, 0x20, 0x31, 0x0A]
        let error = try #require(throws: NumericsError.self) { try FIMIReader.parse(bytes) }
        #expect(error.message.hasPrefix("line 2:") && error.message.contains("\\xFF\\xFE"))
    }

    /// Random lines mixing valid ids, separators and junk bytes: the reader never crashes; it
    /// either parses (and then every line became a transaction of exactly its ids) or names a
    /// line that holds a byte it refuses.
    @Test func seededFuzzNeverCrashesAndNamesTheLine() throws {
        var rng = SplitMix64(seed: 13)
        let alphabet: [UInt8] = Array("0123456789 \t\r".utf8) + [0x0A, 0x41, 0x2D, 0xFF, 0x00, 0x2E]
        var parsed = 0, refused = 0
        for _ in 0 ..< 2000 {
            let length = Int.random(in: 0 ... 60, using: &rng)
            let junk = Double.random(in: 0 ..< 1, using: &rng) < 0.5
            let bytes: [UInt8] = (0 ..< length).map { _ in
                junk ? alphabet[Int.random(in: 0 ..< alphabet.count, using: &rng)]
                     : alphabet[Int.random(in: 0 ..< 14, using: &rng)]
            }
            let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
            do {
                let set = try FIMIReader.parse(bytes)
                parsed += 1
                let expectedCount = bytes.last == 0x0A ? lines.count - 1 : lines.count
                #expect(set.count == (bytes.isEmpty ? 0 : expectedCount))
            } catch let error as NumericsError {
                refused += 1
                let prefix = error.message.prefix { $0 != ":" }
                let line = try #require(Int(prefix.dropFirst("line ".count)), "\(error.message)")
                #expect(line >= 1 && line <= lines.count)
                let offending = lines[line - 1]
                let hasBadByte = offending.contains { !"0123456789 \t\r".utf8.contains($0) }
                let hasLongId = offending.split(whereSeparator: { " \t\r".utf8.contains($0) }).contains { $0.count > FIMIReader.maxItemDigits }
                #expect(hasBadByte || hasLongId, "\(error.message)")
            }
        }
        #expect(parsed > 100 && refused > 100)
    }
}
