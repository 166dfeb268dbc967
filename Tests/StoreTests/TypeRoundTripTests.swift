import Foundation
import Store
import TestSupport
import Testing

@Suite("Type round trips through parameters and results")
struct TypeRoundTripTests {
    let connection: Connection

    init() throws {
        connection = try TestDatabase.create(migrated: false).connect()
    }

    @Test func textIncludingUnicodeAndEscapes() throws {
        for value in ["", "plain", "naïve café – 日本語 🚀", "tab\there\nnewline \\ backslash \"quote\" 'single'", String(repeating: "x", count: 100_000)] {
            let row = try #require(try connection.execute("SELECT $1::text AS v", [.text(value)]).first)
            #expect(try row.value("v", as: String.self) == value)
        }
    }

    @Test func integersAtTheirLimits() throws {
        for value in [0, 1, -1, Int(Int32.max), Int(Int32.min), Int.max, Int.min] {
            let row = try #require(try connection.execute("SELECT $1::bigint AS v", [.int(value)]).first)
            #expect(try row.value("v", as: Int.self) == value)
        }
        let small = try #require(try connection.execute("SELECT 2147483647::int4 AS a, (-32768)::int2 AS b").first)
        #expect(try small.value("a", as: Int32.self) == Int32.max)
        #expect(try small.value("b", as: Int.self) == -32768)
    }

    @Test func doublesRoundTripBitForBit() throws {
        let values: [Double] = [0, -0.0, 1.0 / 3.0, .pi, 1e-308, 5e-324, .greatestFiniteMagnitude, -123456.789e-7, .infinity, -.infinity]
        for value in values {
            let row = try #require(try connection.execute("SELECT $1::float8 AS v", [.double(value)]).first)
            let back = try #require(try row.value("v", as: Double.self))
            #expect(back.bitPattern == value.bitPattern, "\(value) came back as \(back)")
        }
        let nan = try #require(try connection.execute("SELECT $1::float8 AS v", [.double(.nan)]).first)
        #expect(try nan.value("v", as: Double.self)?.isNaN == true)
    }

    @Test func numericKeepsEveryDigit() throws {
        let text = "12345678901234567890.123456789012345678"
        let row = try #require(try connection.execute("SELECT $1::numeric AS v, $1::numeric * 2 AS w", [.text(text)]).first)
        #expect(try row.value("v", as: String.self) == text)
        #expect(try row.value("v", as: Decimal.self) == Decimal(string: text))
        #expect(try row.value("w", as: String.self) == "24691357802469135780.246913578024691356")
        let d = try #require(try connection.execute("SELECT $1::numeric AS v", [.decimal(Decimal(string: "-0.000125")!)]).first)
        #expect(try d.value("v", as: Double.self) == -0.000125)
    }

    @Test func booleans() throws {
        let row = try #require(try connection.execute("SELECT $1::bool AS t, $2::bool AS f", [true, false]).first)
        #expect(try row.value("t", as: Bool.self) == true)
        #expect(try row.value("f", as: Bool.self) == false)
    }

    @Test func timestampsKeepMicrosecondsAcrossTimeZones() throws {
        let date = Date(timeIntervalSince1970: 1_700_000_000.123456)
        let row = try #require(try connection.execute("SELECT $1::timestamptz AS v, extract(epoch FROM $1::timestamptz)::text AS e", [.timestamp(date)]).first)
        let back = try #require(try row.value("v", as: Date.self))
        #expect(abs(back.timeIntervalSince1970 - 1_700_000_000.123456) < 1e-6)
        #expect(try row.value("e", as: String.self) == "1700000000.123456")
        // A session in another zone prints offsets; decoding still gives the same instant.
        try connection.executeScript("SET TimeZone = 'Asia/Kolkata'")
        defer { try? connection.executeScript("SET TimeZone = 'UTC'") }
        let shifted = try #require(try connection.execute("SELECT '2024-03-01 12:00:00+00'::timestamptz AS v, '2024-03-01 12:00:00+00'::timestamptz::text AS t").first)
        #expect(try shifted.value("t", as: String.self) == "2024-03-01 17:30:00+05:30")
        #expect(try shifted.value("v", as: Date.self) == Date(timeIntervalSince1970: 1_709_294_400))
        // Before 1970 and before 2000 (negative epochs in both conventions).
        let old = try #require(try connection.execute("SELECT '1969-07-20 20:17:40.5+00'::timestamptz AS v").first)
        #expect(try old.value("v", as: Date.self) == Date(timeIntervalSince1970: -14_182_939.5))
    }

    @Test func jsonbAndArrays() throws {
        let json = #"{"task": "database_design", "files": ["migrations/", "naïve ✓"], "n": 3}"#
        let row = try #require(try connection.execute("SELECT $1::jsonb AS j, ($1::jsonb -> 'files' ->> 1) AS f", [.json(json)]).first)
        let back = try #require(try row.value("j", as: String.self))
        let parsed = try JSONSerialization.jsonObject(with: Data(back.utf8)) as? [String: Any]
        #expect(parsed?["task"] as? String == "database_design")
        #expect(parsed?["n"] as? Int == 3)
        #expect(try row.value("f", as: String.self) == "naïve ✓")

        let tags = ["a", "b c", "quote\"d", "back\\slash", "comma,here", "{brace}", "NULL", ""]
        let arr = try #require(try connection.execute("SELECT $1::text[] AS v, cardinality($1::text[]) AS n", [.textArray(tags)]).first)
        #expect(try arr.value("v", as: [String].self) == tags)
        #expect(try arr.value("n", as: Int.self) == tags.count)
        let withNull = try #require(try connection.execute("SELECT ARRAY['x', NULL]::text[] AS v").first)
        #expect(PostgresText.parseArray(try #require(withNull.text(0))) == ["x", nil])
    }

    @Test func uuids() throws {
        let id = UUID()
        let row = try #require(try connection.execute("SELECT $1::uuid AS v", [.uuid(id)]).first)
        #expect(try row.value("v", as: UUID.self) == id)
    }

    @Test func nullsOfEveryType() throws {
        let row = try #require(try connection.execute(
            "SELECT $1::text AS a, $2::bigint AS b, $3::float8 AS c, $4::bool AS d, $5::timestamptz AS e, $6::jsonb AS f, $7::text[] AS g, $8::numeric AS h",
            [SQLValue(nil as String?), SQLValue(nil as Int?), SQLValue(nil as Double?), SQLValue(nil as Bool?),
             SQLValue(nil as Date?), .null, SQLValue(nil as [String]?), nil]).first)
        #expect(try row.value("a", as: String.self) == nil)
        #expect(try row.value("b", as: Int.self) == nil)
        #expect(try row.value("c", as: Double.self) == nil)
        #expect(try row.value("d", as: Bool.self) == nil)
        #expect(try row.value("e", as: Date.self) == nil)
        #expect(try row.value("f", as: String.self) == nil)
        #expect(try row.value("g", as: [String].self) == nil)
        #expect(try row.value("h", as: Decimal.self) == nil)
        #expect(throws: StoreError.self) { try row.required("a", as: String.self) }
    }

    @Test func decodingTheWrongTypeIsATypedError() throws {
        let row = try #require(try connection.execute("SELECT 'abc'::text AS v").first)
        let error = try #require(throws: StoreError.self) { try row.value("v", as: Int.self) }
        #expect(error.code == .decodingFailed)
        #expect(error.message.contains("\"v\""))
        let unknown = try #require(throws: StoreError.self) { try row.value("nope", as: Int.self) }
        #expect(unknown.message.contains("nope"))
    }

    @Test func valuesAreNeverSplicedIntoSQL() throws {
        try connection.executeScript("CREATE TABLE victims (name text)")
        let hostile = "x'); DROP TABLE victims; --"
        try connection.execute("INSERT INTO victims (name) VALUES ($1)", [.text(hostile)])
        let row = try #require(try connection.execute("SELECT name FROM victims").first)
        #expect(try row.value("name", as: String.self) == hostile)
    }

    @Test func transactionsCommitAndRollBack() throws {
        try connection.executeScript("CREATE TABLE ledger (n int)")
        try connection.transaction { try connection.execute("INSERT INTO ledger VALUES (1)") }
        struct Planned: Error {}
        #expect(throws: Planned.self) {
            try connection.transaction {
                try connection.execute("INSERT INTO ledger VALUES (2)")
                throw Planned()
            }
        }
        // A server error inside rolls back too, and the connection stays usable.
        #expect(throws: StoreError.self) {
            try connection.transaction {
                try connection.execute("INSERT INTO ledger VALUES (3)")
                try connection.execute("INSERT INTO ledger VALUES ('not a number')")
            }
        }
        // Nested: the inner failure rolls back only the inner work.
        try connection.transaction {
            try connection.execute("INSERT INTO ledger VALUES (4)")
            _ = try? connection.transaction {
                try connection.execute("INSERT INTO ledger VALUES (5)")
                throw Planned()
            }
        }
        let values = try connection.execute("SELECT n FROM ledger ORDER BY n").map { try $0.value(0, as: Int.self) }
        #expect(values == [1, 4])
    }
}
