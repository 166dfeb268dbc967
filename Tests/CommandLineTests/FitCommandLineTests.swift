import Foundation
import Store
import TestSupport
import Testing

/// `ail fit` run as a user would: JSON failure kinds, and models fitted straight from PostgreSQL.
@Suite("ail fit from files and from the database")
struct FitCommandLineTests {
    static func errorObject(_ r: ChildProcess.Result) throws -> [String: Any] {
        let start = try #require(r.output.firstIndex(of: "{"), "\(r.output)")
        let object = try JSONSerialization.jsonObject(with: Data(r.output[start...].utf8)) as? [String: Any]
        return try #require(object?["error"] as? [String: Any], "\(r.output)")
    }

    static func csv(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ail-fitcli-\(UUID().uuidString).csv")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// Under --format json a failure keeps its kind and its exit code.
    @Test func jsonFailuresKeepTheirKind() throws {
        let ail = try AILProcess()
        let separated = try Self.csv("y,x\n0,1\n0,2\n0,3\n1,4\n1,5\n1,6\n")
        let aliased = try Self.csv("y,a,b\n1,1,2\n2,2,4\n4,3,6\n3,4,8\n")
        let cases: [([String], String, Int)] = [
            (["fit", "logistic", "--data", separated, "--formula", "y ~ x"], "separation", 65),
            (["fit", "linear", "--data", aliased, "--formula", "y ~ a + b"], "rank deficient", 65),
            (["fit", "linear", "--data", aliased, "--formula", "y ~ a +"], "bad formula", 64),
            (["fit", "linear", "--data", aliased, "--formula", "y ~ z"], "unknown column", 64),
        ]
        for (args, kind, status) in cases {
            let r = try ail.run(args + ["--format", "json"])
            let e = try Self.errorObject(r)
            #expect(r.status == Int32(status) && e["kind"] as? String == kind && e["exit_code"] as? Int == status, "\(args): \(r.output)")
        }
    }

    /// The same rows fitted from a CSV file and from a table (stored in another order) give the
    /// same coefficients to 1e-12 relative; types come from the table (numeric, int, text, bool).
    @Test func tableAndCSVGiveTheSameFit() throws {
        let db = try TestDatabase.create(migrated: false)
        let ail = try AILProcess()
        var rng: UInt64 = 99
        func next() -> UInt64 { rng = rng &* 6364136223846793005 &+ 1442695040888963407; return rng >> 33 }
        var rows: [(y: Int, x: String, k: Int, g: String, f: Bool)] = []
        for _ in 0..<300 {
            let x = String(format: "%.6f", Double(next() % 2_000_000) / 1e5 - 10)
            let g = ["red", "green", "blue"][Int(next() % 3)]
            let y = (Double(x) ?? 0) * 0.2 + (g == "red" ? 0.7 : 0) + Double(next() % 1000) / 400 - 1.2 > 0 ? 1 : 0
            rows.append((y, x, Int(next() % 9), g, next() % 2 == 0))
        }
        let conn = try db.connect()
        try conn.executeScript("CREATE TYPE colour AS ENUM ('red', 'green', 'blue'); CREATE TABLE obs (id serial, y int, x numeric, k bigint, g colour, f boolean, note jsonb)")
        try conn.copyIn("COPY obs (y, x, k, g, f) FROM STDIN") { w in
            for r in rows.reversed() { try w.write("\(r.y)\t\(r.x)\t\(r.k)\t\(r.g)\t\(r.f)\n") }
        }
        let file = try Self.csv("y,x,k,g,f\n" + rows.map { "\($0.y),\($0.x),\($0.k),\($0.g),\($0.f)" }.joined(separator: "\n"))
        let formula = "y ~ x + k + C(g) + f"
        func coefficients(_ source: [String]) throws -> [String: Double] {
            let r = try ail.run(["fit", "logistic", "--formula", formula, "--format", "json", "--dsn", db.dsn] + source)
            #expect(r.status == 0, "\(source): \(r.output)")
            let start = try #require(r.output.firstIndex(of: "{"), "\(r.output)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(r.output[start...].utf8)) as? [String: Any])
            let terms = try #require(json["terms"] as? [[String: Any]], "\(json)")
            return Dictionary(uniqueKeysWithValues: terms.map { ($0["term"] as? String ?? "", ($0["estimate"] as? NSNumber)?.doubleValue ?? .nan) })
        }
        let fromCSV = try coefficients(["--data", file])
        let fromTable = try coefficients(["--table", "obs"])
        let fromSQL = try coefficients(["--sql", "SELECT y, x, k, g, f FROM obs ORDER BY id DESC"])
        #expect(fromCSV.count == 6 && Set(fromCSV.keys) == Set(fromTable.keys), "\(fromCSV) vs \(fromTable)")
        for (term, b) in fromCSV {
            let t = fromTable[term] ?? .nan, s = fromSQL[term] ?? .nan
            #expect(abs(b - t) <= 1e-12 * abs(b) && abs(b - s) <= 1e-12 * abs(b), "\(term): \(b) \(t) \(s)")
        }
        // a query file that starts with an SQL comment is a value, not an option
        let commented = try coefficients(["--sql", "-- rows of obs\nSELECT y, x, k, g, f FROM obs"])
        #expect(commented == fromSQL || commented.allSatisfy { abs($0.value - (fromSQL[$0.key] ?? .nan)) <= 1e-12 * abs($0.value) })

        // a write is refused by the read-only transaction, and nothing is deleted
        var r = try ail.run("fit", "linear", "--dsn", db.dsn, "--formula", "y ~ x", "--sql", "DELETE FROM obs RETURNING y, x::float8")
        #expect(r.status == 65 && r.output.contains("25006"), "\(r.output)")
        #expect(try conn.execute("SELECT count(*) FROM obs").first?.value(0, as: Int.self) == 300)
        r = try ail.run("fit", "linear", "--dsn", db.dsn, "--formula", "y ~ x", "--table", "no_such_table")
        #expect(r.status == 65 && r.output.contains("42P01") && r.output.contains("no_such_table"), "\(r.output)")
        r = try ail.run("fit", "linear", "--dsn", db.dsn, "--formula", "y ~ x + note", "--sql", "SELECT y, x, note FROM obs")
        #expect(r.status == 64 && r.output.contains("\"note\"") && r.output.contains("jsonb"), "\(r.output)")
        // a formula column the query does not return: the query's own columns are listed
        r = try ail.run("fit", "linear", "--dsn", db.dsn, "--formula", "y ~ z", "--sql", "SELECT y, x FROM obs")
        #expect(r.status == 64 && r.output.contains("unknown column 'z'; the query returns: y, x"), "\(r.output)")
        r = try ail.run("fit", "linear", "--dsn", db.dsn, "--formula", "y ~ x", "--sql", "SELEC 1")
        #expect(r.status == 65 && r.output.contains("42601"), "\(r.output)")
    }
}
