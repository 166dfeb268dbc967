import Foundation
import Store
import TestSupport
import Testing

/// 100,000 rows in and out through COPY, text and binary, compared value by value.
@Suite("COPY in and out", .serialized, .tags(.heavy), .enabled(if: HeavyTests.enabled, HeavyTests.reason))
struct CopyTests {
    struct Sample: Equatable {
        var id: Int
        var x: Double?
        var name: String?
        var flag: Bool?
        var at: Date?
        var payload: String?   // jsonb, compared after normalisation by the server
        var tags: [String]?
        var key: UUID
    }

    static let rowCount = 100_000
    static let epoch: Double = 1_700_000_000

    /// Deterministic rows that exercise escapes, unicode, NULLs and extreme doubles.
    static func sample(_ i: Int) -> Sample {
        let names = ["plain", "tab\there", "new\nline", "back\\slash", "naïve 日本 🚀", "", "\\N literal"]
        let specials: [Double] = [0, -0.0, 1e-300, -1.7976931348623157e308, 5e-324, 1.0 / 3.0]
        var keyBytes = [UInt8](repeating: 0, count: 16)
        var state = UInt64(i) &* 0x9E37_79B9_7F4A_7C15 &+ 1
        for k in 0..<16 { state ^= state >> 27; state &*= 0x94D0_49BB_1331_11EB; keyBytes[k] = UInt8(truncatingIfNeeded: state >> 32) }
        let key = UUID(uuid: (keyBytes[0], keyBytes[1], keyBytes[2], keyBytes[3], keyBytes[4], keyBytes[5], keyBytes[6], keyBytes[7],
                              keyBytes[8], keyBytes[9], keyBytes[10], keyBytes[11], keyBytes[12], keyBytes[13], keyBytes[14], keyBytes[15]))
        return Sample(
            id: i,
            x: i % 11 == 0 ? nil : (i % 7 == 0 ? specials[i % specials.count] : Double(i) * 1.000001 - 5e4),
            name: i % 13 == 0 ? nil : names[i % names.count] + String(i),
            flag: i % 5 == 0 ? nil : i % 2 == 0,
            at: i % 17 == 0 ? nil : Date(timeIntervalSince1970: epoch + Double(i) * 61.000001),
            payload: i % 19 == 0 ? nil : #"{"i": \#(i), "s": "v\#(i % 3)"}"#,
            tags: i % 23 == 0 ? nil : (i % 4 == 0 ? [] : ["t\(i % 3)", "with space", "q\"uote"]),
            key: key)
    }

    static let columns = "(id, x, name, flag, at, payload, tags, key)"
    static let createTable = "CREATE TABLE %@ (id bigint PRIMARY KEY, x float8, name text, flag bool, at timestamptz, payload jsonb, tags text[], key uuid NOT NULL)"

    let database: TestDatabase
    let connection: Connection

    init() throws {
        database = try TestDatabase.create(migrated: false)
        connection = try database.connect()
        for table in ["via_text", "via_binary"] {
            try connection.executeScript(String(format: Self.createTable, table))
        }
    }

    func loadText() throws -> Int {
        try connection.copyIn("COPY via_text \(Self.columns) FROM STDIN") { writer in
            for i in 0..<Self.rowCount {
                let s = Self.sample(i)
                var row = CopyTextRow()
                row.append(String(s.id))
                row.append(s.x.map(PostgresText.double))
                row.append(s.name)
                row.append(s.flag.map { $0 ? "t" : "f" })
                row.append(s.at.map(PostgresText.timestamp))
                row.append(s.payload)
                row.append(s.tags.map(PostgresText.array))
                row.append(s.key.uuidString)
                try writer.write(row.terminatedLine)
            }
        }
    }

    func loadBinary() throws -> Int {
        try connection.copyIn("COPY via_binary \(Self.columns) FROM STDIN (FORMAT binary)") { writer in
            var encoder = BinaryCopyEncoder()
            for i in 0..<Self.rowCount {
                let s = Self.sample(i)
                encoder.beginRow(fieldCount: 8)
                encoder.append(Int64(s.id))
                encoder.append(s.x)
                encoder.append(s.name)
                encoder.append(s.flag)
                encoder.append(s.at)
                encoder.appendJSONB(s.payload)
                encoder.append(s.tags)
                encoder.append(s.key)
                if encoder.bytes.count > 1 << 20 { try writer.write(encoder.bytes); encoder.removeAll() }
            }
            encoder.finish()
            try writer.write(encoder.bytes)
        }
    }

    static func normalisedJSON(_ text: String?) -> String? {
        guard let text, let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)),
              let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return text }
        return String(decoding: data, as: UTF8.self)
    }

    func expectEqual(_ got: Sample, _ want: Sample) {
        #expect(got.id == want.id)
        #expect(got.x?.bitPattern == want.x?.bitPattern, "row \(want.id): x \(String(describing: got.x)) vs \(String(describing: want.x))")
        #expect(got.name == want.name)
        #expect(got.flag == want.flag)
        #expect(got.at.map(PostgresText.microsecondsSinceEpoch) == want.at.map(PostgresText.microsecondsSinceEpoch))
        #expect(Self.normalisedJSON(got.payload) == Self.normalisedJSON(want.payload))
        #expect(got.tags == want.tags)
        #expect(got.key == want.key)
    }

    @Test func textCopyRoundTripsEveryValue() throws {
        #expect(try loadText() == Self.rowCount)
        var lines: [Substring] = []
        var pending = ""
        let sent = try connection.copyOut("COPY (SELECT id, x, name, flag, at, payload, tags, key FROM via_text ORDER BY id) TO STDOUT") { chunk in
            pending += String(decoding: chunk, as: UTF8.self)
            while let newline = pending.firstIndex(of: "\n") {
                lines.append(Substring(String(pending[..<newline])))
                pending = String(pending[pending.index(after: newline)...])
            }
        }
        #expect(sent == Self.rowCount)
        #expect(lines.count == Self.rowCount)
        var mismatches = 0
        for (i, line) in lines.enumerated() {
            let f = CopyTextParser.fields(line)
            let got = Sample(id: Int(f[0] ?? "") ?? -1, x: f[1].flatMap(Double.init), name: f[2], flag: f[3].map { $0 == "t" },
                             at: f[4].flatMap(PostgresText.parseTimestamp), payload: f[5],
                             tags: f[6].flatMap { PostgresText.parseArray($0)?.compactMap { $0 } }, key: f[7].flatMap { UUID(uuidString: $0) } ?? UUID())
            if got.id != i { mismatches += 1 }
            expectEqual(got, Self.sample(i))
        }
        #expect(mismatches == 0)
    }

    @Test func binaryCopyRoundTripsEveryValue() throws {
        #expect(try loadBinary() == Self.rowCount)
        var next = 0
        let read = try connection.copyOutBinary(query: "SELECT id, x, name, flag, at, payload, tags, key FROM via_binary ORDER BY id") { row in
            let got = Sample(id: try row.int(0) ?? -1, x: try row.double(1), name: row.string(2), flag: try row.bool(3),
                             at: try row.date(4), payload: try row.jsonb(5),
                             tags: try row.stringArray(6)?.compactMap { $0 }, key: try row.uuid(7) ?? UUID())
            expectEqual(got, Self.sample(next))
            next += 1
        }
        #expect(read == Self.rowCount)
        #expect(next == Self.rowCount)
    }

    @Test func textAndBinaryLoadsAreIdentical() throws {
        _ = try loadText()
        _ = try loadBinary()
        let diff = try connection.execute("""
            SELECT (SELECT count(*) FROM (SELECT * FROM via_text EXCEPT SELECT * FROM via_binary) a)
                 + (SELECT count(*) FROM (SELECT * FROM via_binary EXCEPT SELECT * FROM via_text) b) AS differing
            """)
        #expect(try diff.first?.value("differing", as: Int.self) == 0)
        let nulls = try connection.execute("SELECT count(*) FILTER (WHERE x IS NULL) AS xn, count(*) FILTER (WHERE tags IS NULL) AS tn FROM via_binary")
        #expect(try nulls.first?.value("xn", as: Int.self) == (0..<Self.rowCount).filter { $0 % 11 == 0 }.count)
        #expect(try nulls.first?.value("tn", as: Int.self) == (0..<Self.rowCount).filter { $0 % 23 == 0 }.count)
    }

    @Test func numericAndFloat4DecodeFromBinary() throws {
        var values: [Double?] = []
        try connection.copyOutBinary(query: "SELECT v::numeric, v::float4 FROM (VALUES (0.0), (-12345.678901), (1e-20), (NULL), (98765432109876.5)) t(v)") { row in
            values.append(try row.numeric(0))
            #expect(try row.double(1).map { Float($0) } == (try row.numeric(0)).map { Float($0) })
        }
        #expect(values == [0, -12345.678901, 1e-20, nil, 98765432109876.5])
    }

    @Test func aFailedCopyLoadsNothingAndLeavesTheConnectionUsable() throws {
        struct Interrupted: Error {}
        #expect(throws: Interrupted.self) {
            try connection.copyIn("COPY via_text (id, key) FROM STDIN") { writer in
                try writer.write("1\t\(UUID().uuidString)\n")
                throw Interrupted()
            }
        }
        let bad = try #require(throws: StoreError.self) {
            try connection.copyIn("COPY via_text (id, key) FROM STDIN") { writer in
                try writer.write("1\t\(UUID().uuidString)\nnot-a-number\t\(UUID().uuidString)\n")
            }
        }
        #expect(bad.code == .invalidTextRepresentation)
        #expect(try connection.execute("SELECT count(*) FROM via_text").first?.value(0, as: Int.self) == 0)
    }
}
