import Foundation
import Testing
@testable import Statistics
import Primitives

/// Numbers parsed on bytes, compared bit for bit with the standard library's correctly rounded
/// `Double(String)`; the CSV reader's types, fallbacks, errors and parallel chunks.
@Suite struct DecimalParserTests {
    static func parse(_ s: String) -> Double? { DecimalParser.double(s) }

    @Test func edgeCasesMatchTheStandardLibrary() {
        let cases = [
            "0", "-0", "+0", "00012", "-00.00100", "1", "+1.5", "-2.5e-3", ".5", "5.", ".5e1", "5.E+2",
            "4.9406564584124654e-324", "2.4703282292062327e-324", "2.4703282292062328e-324", "1e-324",
            "2.2250738585072011e-308", "2.2250738585072014e-308", "2.225073858507201136057409796709131975934819546351645648e-308",
            "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308", "1e309", "-1e400", "1e-400",
            "9007199254740993", "9007199254740992.5", "9007199254740993.0000000000000000001",
            "0.1000000000000000055511151231257827021181583404541015625",
            "0.1000000000000000055511151231257827021181583404541015624",
            "0.1000000000000000055511151231257827021181583404541015626",
            "123456789012345678901234567890", "0.000000000000000000000000000000000000001234567890123456789",
            "1e22", "1e23", "9.999999999999999e22", "12345678901234567e-5", "3.141592653589793238462643383279",
            "1e+99999999999999999999", "1e-99999999999999999999", "0e99999", "000000000000000000000000000001e-30",
        ]
        for s in cases {
            let expected = Double(s)
            let got = Self.parse(s)
            #expect(got?.bitPattern == expected?.bitPattern, "\(s): \(String(describing: got)) vs \(String(describing: expected))")
        }
    }

    @Test func nonDecimalTextIsRefused() {
        for s in ["", "+", "-", ".", "e5", "1e", "1e+", "1.2.3", "0x10", "0x1p3", "inf", "-Infinity", "nan", "NaN",
                  " 1", "1 ", "12\u{0}", "1\u{0}2", "1_000", "1,5", "١٢", "--1", "1e5.5", "1d5"] {
            #expect(Self.parse(s) == nil, "\(s.debugDescription) was accepted")
        }
    }

    /// 200,000 random decimal strings: 1–40 digits, a point anywhere or none, exponents up to
    /// ±350, signs and leading zeros.
    @Test func randomDigitStringsAreCorrectlyRounded() {
        var rng = SplitMix64(seed: 20261130)
        var mismatches: [String] = []
        for _ in 0..<200_000 {
            var s = ""
            switch rng.next() % 3 { case 0: s = "-"; case 1: s = "+"; default: break }
            if rng.next() % 4 == 0 { s += String(repeating: "0", count: Int(rng.next() % 5)) }
            let digits = 1 + Int(rng.next() % 40)
            let point = Int(rng.next() % UInt64(digits + 2))
            for k in 0..<digits {
                if k == point { s += "." }
                s += String(rng.next() % 10)
            }
            if rng.next() % 2 == 0 {
                s += rng.next() % 2 == 0 ? "e" : "E"
                if rng.next() % 2 == 0 { s += "-" }
                s += String(rng.next() % 351)
            }
            if Self.parse(s)?.bitPattern != Double(s)?.bitPattern { mismatches.append(s) }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    /// The extended-precision path (16–19 significant digits, exponent within ±22: what 17-digit
    /// data files hold): 300,000 random cases and every double midpoint planted on purpose, bit for
    /// bit against `Double(String)`.
    @Test func seventeenDigitDataAndMidpointsAreCorrectlyRounded() {
        var rng = SplitMix64(seed: 17_17_17)
        var mismatches: [String] = []
        for _ in 0..<300_000 {
            let digits = 16 + Int(rng.next() % 4)
            var s = rng.next() % 2 == 0 ? "-" : ""
            s += String(1 + rng.next() % 9)
            for _ in 1..<digits { s += String(rng.next() % 10) }
            let shift = Int(rng.next() % 23)
            if rng.next() % 2 == 0 { s += "e-\(shift + digits - 1)" } else { s += "e\(shift - digits + 1)" }
            if Self.parse(s)?.bitPattern != Double(s)?.bitPattern { mismatches.append(s) }
        }
        // exact midpoints between neighbouring doubles (ties to even), in integer and scaled form
        for k in 0..<2_000 {
            let a = Double(sign: .plus, exponent: 53 + k % 10, significand: 1) + Double(2 * k) * Double(1 << (k % 10))
            let b = a.nextUp
            let mid = (UInt64(a) + UInt64(b)) / 2      // exact: both are integers below 2^64
            for s in ["\(mid)", "\(mid)e0", "\(mid)000e-3"] where Self.parse(s)?.bitPattern != Double(s)?.bitPattern {
                mismatches.append(s)
            }
        }
        #expect(Self.parse("9007199254740993") == 9_007_199_254_740_992)   // 2^53 + 1 ties to even
        #expect(Self.parse("9007199254740995") == 9_007_199_254_740_996)
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    /// A byte that is not a digit, at every position of a 17-digit number, is seen even when it
    /// falls inside an eight-byte word read at once.
    @Test func aNonDigitInsideAnEightDigitWordIsSeen() {
        let digits = Array("-0.12345678901234567")
        for position in 3..<digits.count {
            for bad: Character in ["/", ":", " ", "\u{0}", "a", "é", ",", "."] {
                var text = digits
                text[position] = bad
                let s = String(text)
                // the standard library reads up to a NUL; the data reader refuses it (a cell like `12\0`)
                let expected = bad == "\u{0}" ? nil : Double(s)
                #expect(Self.parse(s)?.bitPattern == expected?.bitPattern, "\(s.debugDescription)")
            }
        }
    }

    @Test func integers() {
        #expect(DecimalParser.int64Text("9223372036854775807") == Int64.max)
        #expect(DecimalParser.int64Text("-9223372036854775808") == Int64.min)
        #expect(DecimalParser.int64Text("9223372036854775808") == nil)
        #expect(DecimalParser.int64Text("-007") == -7)
        #expect(DecimalParser.int64Text("1.0") == nil)
        #expect(DecimalParser.int64Text("-") == nil)
    }
}

extension DecimalParser {
    static func int64Text(_ s: String) -> Int64? {
        var s = s
        return s.withUTF8 { b in b.baseAddress.flatMap { DecimalParser.int64($0, b.count) } ?? nil }
    }
}

@Suite struct CSVReaderTests {
    static func message(_ body: () throws -> Any) -> String {
        do { _ = try body(); return "no error" } catch let e as NumericsError { return e.message } catch { return "\(error)" }
    }

    @Test func byteOrderMarkAndTypes() throws {
        let t = try DataFrame(csv: "\u{FEFF}a,b,c,d\n1,2.5,x,\n-3,1e3,y,7\n")
        #expect(t.columnNames == ["a", "b", "c", "d"])
        #expect(t.columns.map(\.type) == [.int64, .float64, .categorical, .int64])
        guard case .float64(let b) = t.columns[1].values, case .int64(let a) = t.columns[0].values else {
            Issue.record("wrong storage"); return
        }
        #expect(a == [1, -3] && b == [2.5, 1000])
        #expect(t.columns[3].validity == [false, true])
    }

    /// The sample says int64; a decimal on record 1,500 widens the column to float64 and a word
    /// on record 2,500 to categorical, with every earlier value kept.
    @Test func laterRowsWidenTheInferredType() throws {
        var csv = "n,x,w\n"
        for i in 0..<3000 {
            let x = i == 1500 ? "0.5" : "\(i)"
            let w = i == 2500 ? "many" : "\(i % 7)"
            csv += "\(i),\(x),\(w)\n"
        }
        let t = try DataFrame(csv: csv)
        #expect(t.columns.map(\.type) == [.int64, .float64, .categorical])
        #expect(t.columns[1].text(at: 1500) == "0.5" && t.columns[1].text(at: 2999) == "2999")
        #expect(t.columns[2].text(at: 2500) == "many" && t.columns[2].text(at: 13) == "6")
    }

    @Test func typeOverridesAndTheirErrors() throws {
        let t = try DataFrame(csv: "id,v\n007,1\n008,2\n", types: ["id": .categorical, "v": .float64])
        #expect(t.columns.map(\.type) == [.categorical, .float64])
        #expect(t.columns[0].text(at: 0) == "007")
        let flags = try DataFrame(csv: "f\nTRUE\nno\n", types: ["f": .bool])
        guard case .bool(let b) = flags.columns[0].values else { Issue.record("not bool"); return }
        #expect(b == [true, false])
        #expect(Self.message { try DataFrame(csv: "a,v\n1,2\n\"x\ny\",3\n3,oops\n", types: ["v": .float64, "a": .text]) }
                == "CSV: line 5, column 'v': 'oops' is not a float64 value, the type asked for this column")
        #expect(Self.message { try DataFrame(csv: "a\n1\n", types: ["b": .int64]) }.contains("column 'b', which is not in the header"))
    }

    @Test func invalidUTF8NamesTheLineAndByte() {
        var bytes = Array("y,g\n1,ok\n2,ab".utf8) + [0xFF] + Array("c\n".utf8)
        let message = bytes.withUnsafeMutableBufferPointer { b in
            Self.message { try DataFrame(csvBytes: UnsafeBufferPointer(b)) }
        }
        #expect(message.contains("line 3, byte 5") && message.contains("0xFF") && message.contains("'g'"), "\(message)")
    }

    @Test func raggedRowsAndQuotesNameThePhysicalLine() {
        #expect(Self.message { try DataFrame(csv: "a,b\n1,\"x\ny\"\n2\n") } == "CSV: line 4 has 1 fields, the header has 2")
        #expect(Self.message { try DataFrame(csv: "a,b\n1,2,3\n") } == "CSV: line 2 has 3 fields, the header has 2")
        #expect(Self.message { try DataFrame(csv: "a,b\r\n1,2\r\n3,\"open\n") } == "CSV: the quoted field opened on line 3 is never closed")
        #expect(Self.message { try DataFrame(csv: "\u{FEFF}") } == "CSV: the file is empty")
    }

    /// Timestamp columns are inferred from RFC 3339 and the local forms (read as UTC), keep
    /// integers (years) as integers, and fall back to categorical when a later value is not a
    /// timestamp; a requested timestamp type names the cell that does not fit.
    @Test func timestampColumnsAreInferred() throws {
        let frame = try DataFrame(csv: """
            t,month,year,mixed
            2024-05-01T12:00:00Z,1949-01,2013,2024-05-01
            2024-05-01 14:30:00.5,1949-02,2014,soon
            2024-05-01T16:00:00+02:00,NA,2015,2024-05-03
            """)
        let t = try frame.column(named: "t")
        #expect(t.type == .timestamp)
        guard case .timestamp(let micros) = t.values else { Issue.record("not a timestamp column"); return }
        // 2024-05-01T12:00:00Z is 1,714,564,800 s after the epoch (19,844 days · 86,400 + 12 h)
        #expect(micros == [1_714_564_800_000_000, 1_714_573_800_500_000, 1_714_572_000_000_000])
        #expect(t.text(at: 0) == "2024-05-01T12:00:00Z")
        let month = try frame.column(named: "month")
        #expect(month.type == .timestamp && month.isValid(1) && !month.isValid(2))
        #expect(month.text(at: 1) == "1949-02-01T00:00:00Z")
        #expect(try frame.column(named: "year").type == .int64)
        #expect(try frame.column(named: "mixed").type == .categorical)
        #expect(Self.message { try DataFrame(csv: "a,t\n1,2024-01-01\n2,tomorrow\n", types: ["t": .timestamp]) }
                == "CSV: line 3, column 't': 'tomorrow' is not a timestamp value, the type asked for this column")
        #expect(ColumnBuilder.joined(.int64, .timestamp) == .timestamp)
        #expect(ColumnBuilder.joined(.float64, .timestamp) == .categorical)
        #expect(ColumnBuilder.joined(.int64, .float64) == .float64)
        #expect(ColumnBuilder.joined(.bool, .int64) == .categorical)
    }

    /// Fields of every length from 1 to 19, plain and quoted, so that delimiters, line ends and
    /// quotes fall at every offset of the eight-byte words the field scan reads; each is read
    /// back exactly as written.
    @Test func delimitersAtEveryByteOffsetAreFound() throws {
        var rng = SplitMix64(seed: 11)
        let plain = Array("bcxyz019.-_é"), quoted = Array("bcxyz019.-_é,\"\n")
        var expected: [[String]] = [[], [], []]
        var csv = "a,b,c\n"
        for _ in 0..<3000 {
            var cells: [String] = []
            for c in 0..<3 {
                let n = 1 + Int(rng.next() % 19)
                let quote = rng.next() % 4 == 0
                let alphabet = quote ? quoted : plain
                let value = String((0..<n).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
                expected[c].append(value)
                cells.append(quote ? "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value)
            }
            csv += cells.joined(separator: ",") + (rng.next() % 2 == 0 ? "\n" : "\r\n")
        }
        let frame = try DataFrame(csv: csv, types: ["a": .text, "b": .text, "c": .text])
        #expect(frame.rowCount == 3000)
        for c in 0..<3 {
            let column = frame.columns[c]
            let wrong = (0..<3000).filter { column.text(at: $0) != expected[c][$0] }
            #expect(wrong.isEmpty, "column \(column.name): rows \(wrong.prefix(5)) differ")
        }
    }

    /// Chunks split at record boundaries give the same frame as one pass, with quoted fields
    /// holding commas, quotes and newlines (LF, CRLF) wherever the split candidates fall.
    @Test func parallelChunksEqualOnePass() throws {
        var rng = SplitMix64(seed: 7)
        var csv = "id,note,x,g\r\n"
        for i in 0..<4000 {
            let note: String
            switch rng.next() % 4 {
            case 0: note = "\"line\nbreak, \"\"quoted\"\"\r\nend\""
            case 1: note = "plain"
            case 2: note = "\"\""
            default: note = "\"a,b\""
            }
            csv += "\(i),\(note),\(Double(rng.next() % 100_000) / 7),g\(rng.next() % 5)" + (i % 3 == 0 ? "\n" : "\r\n")
        }
        var text = csv
        let (one, many) = try text.withUTF8 { b in
            (try CSVReader(bytes: b, types: [:], threads: 1, parallelThreshold: 0).read(),
             try CSVReader(bytes: b, types: [:], threads: 7, parallelThreshold: 0).read())
        }
        #expect(one.rowCount == 4000 && many.rowCount == 4000)
        for (a, b) in zip(one.columns, many.columns) {
            #expect(a.type == b.type)
            #expect((0..<4000).allSatisfy { a.text(at: $0) == b.text(at: $0) }, "\(a.name)")
        }
        #expect(one.columns[1].text(at: 0)?.isEmpty == false)
        let points = text.withUTF8 { CSVChunkParser.splitPoints($0, 13..<$0.count, parts: 7) }
        #expect(points.count > 2)
    }
}
