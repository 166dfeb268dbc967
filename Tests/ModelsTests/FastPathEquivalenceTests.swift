import Foundation
import Statistics
import Store
import Testing
import TestSupport
@testable import Analytics

/// The training fast paths (categorical values interned from COPY bytes, the encoding counted by
/// level code) against the string-keyed algorithms they replaced, on the simulated workload. (In
/// the registry suite: other tests there change the shared rows for a moment.)
extension RegistryTests {
    /// Codes and levels of every text column, the way the decoder made them before: a `String`
    /// per cell and a `[String: Int32]` dictionary, codes in order of first appearance.
    static func referenceCategoricals(_ c: Connection, query: String) throws -> [String: (codes: [Int32], levels: [String])] {
        try c.executeScript("BEGIN TRANSACTION READ ONLY")
        defer { try? c.executeScript("ROLLBACK") }
        let described = try c.describeColumns(of: query)
        let text = described.indices.filter { [25, 1042, 1043, 19].contains(described[$0].typeOID) }
        var codes = [[Int32]](repeating: [], count: text.count), levels = [[String]](repeating: [], count: text.count)
        var index = [[String: Int32]](repeating: [:], count: text.count)
        try c.copyOutBinary(query: query) { row in
            for (k, i) in text.enumerated() {
                guard let s = row.string(i) else { codes[k].append(-1); continue }
                if let code = index[k][s] { codes[k].append(code); continue }
                index[k][s] = Int32(levels[k].count); levels[k].append(s); codes[k].append(Int32(levels[k].count - 1))
            }
        }
        return Dictionary(uniqueKeysWithValues: text.enumerated().map { (described[$1].name, (codes[$0], levels[$0])) })
    }

    static func assertSameCategoricals(_ c: Connection, query: String, minimumColumns: Int) throws {
        let reference = try referenceCategoricals(c, query: query)
        #expect(reference.count >= minimumColumns)
        let frame = try PostgresFrame.read(c, query: query)
        for (name, expected) in reference {
            let column = try frame.column(named: name)
            guard case .categorical(let codes, let levels) = column.values else {
                Issue.record("\(name) is not categorical"); continue
            }
            #expect(levels == expected.levels, "\(name)")
            #expect(codes == expected.codes, "\(name)")
            #expect((0..<column.count).allSatisfy { column.isValid($0) == (expected.codes[$0] >= 0) }, "\(name)")
        }
    }

    @Test func internedLevelsEqualTheStringDictionaryOnEveryFeatureQuery() throws {
        let c = try SimulatedData.shared().db.connect()
        for spec in ModelCatalog.all {
            // row_key (unique per row), developer and session at least; interaction-level models
            // add their categorical features
            try Self.assertSameCategoricals(c, query: spec.query, minimumColumns: spec.features.allSatisfy(\.isNumeric) ? 3 : 4)
        }
    }

    /// Byte-distinct but canonically equivalent text is one level, as a Swift `String` key made
    /// it: é precomposed and decomposed, K and the Kelvin sign (either first), and repeats,
    /// NULLs and empty text in between (each path of the interner: previous value, table, new).
    @Test func canonicallyEquivalentTextIsOneLevel() throws {
        let c = try SimulatedData.shared().db.connect()
        let values = ["K", "\u{212A}", "caf\u{E9}", "cafe\u{301}", "", "K", nil, "caf\u{E9}", "\u{212A}", "b", "", "cafe\u{301}"]
        let rows = values.enumerated().map { "(\($0), \($1.map { "'\($0)'" } ?? "NULL"))" }.joined(separator: ", ")
        let query = "SELECT x FROM (VALUES \(rows)) v(n, x) ORDER BY n"
        try Self.assertSameCategoricals(c, query: query, minimumColumns: 1)
        let frame = try PostgresFrame.read(c, query: query)
        guard case .categorical(let codes, let levels) = try frame.column(named: "x").values else { Issue.record("x"); return }
        #expect(levels.count == 4 && codes == [0, 0, 1, 1, 2, 0, -1, 1, 0, 3, 2, 1], "\(levels) \(codes)")
        // the other order: the non-ASCII spelling first, then ASCII text equivalent to it
        let kelvinFirst = "SELECT x FROM (VALUES (1, '\u{212A}'), (2, 'a'), (3, 'K')) v(n, x) ORDER BY n"
        try Self.assertSameCategoricals(c, query: kelvinFirst, minimumColumns: 1)
    }

    /// Many distinct values: the interner's table grows many times and keeps every code.
    @Test func manyDistinctLevelsSurviveGrowth() throws {
        let c = try SimulatedData.shared().db.connect()
        try Self.assertSameCategoricals(c, query: "SELECT (g % 7919)::text AS k, md5(g::text) AS h FROM generate_series(1, 30000) g", minimumColumns: 2)
    }

    /// The encoding's level counts and reference levels, counted by code, equal a count of the
    /// training rows' level text (the former algorithm) for every model.
    @Test func encodingCountsEqualATextCountOfTheTrainingRows() throws {
        let c = try SimulatedData.shared().db.connect()
        for spec in ModelCatalog.all {
            let table = try FeatureTable(frame: PostgresFrame.read(c, query: spec.query, only: spec.columns), spec: spec)
            let candidates = (0..<table.rowCount).filter { table.response[$0] != nil }
            let (encoding, rows, _) = try EncodingBuilder().build(spec: spec, table: table, rows: candidates)
            #expect(!encoding.categoricals.isEmpty || spec.features.allSatisfy(\.isNumeric), "\(spec.name)")
            for cat in encoding.categoricals {
                var counts: [String: Int] = [:], positives: [String: Double] = [:]
                for r in rows {
                    counts[table.text(cat.feature, r) ?? "", default: 0] += 1
                    positives[table.text(cat.feature, r) ?? "", default: 0] += table.response[r] ?? 0
                }
                #expect(cat.levels == counts.keys.sorted(), "\(spec.name).\(cat.feature)")
                #expect(cat.counts == cat.levels.map { counts[$0] ?? -1 }, "\(spec.name).\(cat.feature)")
                let mixed = cat.levels.filter { spec.kind != .logistic || (positives[$0]! > 0 && positives[$0]! < Double(counts[$0]!)) }
                let reference = (mixed.isEmpty ? cat.levels : mixed).max { counts[$0]! < counts[$1]! || (counts[$0]! == counts[$1]! && $0 > $1) }
                #expect(cat.reference == reference, "\(spec.name).\(cat.feature)")
            }
        }
    }
}
