import ArgumentParser
import Foundation
import Testing
import TestSupport
@testable import AILCommandLine

/// `ail learning analyze-patterns`: options refused with the option named, the seed's name
/// accepted, and a run on an empty database recorded with zero tests.
@Suite struct LearningCommandTests {
    static func options(_ arguments: [String], name: String = "analyze-patterns") throws -> AnalyzePatternsOptions {
        let command = try AIL.parseAsRoot(["learning", name] + arguments)
        if let c = command as? AnalyzePatterns { return c.options }
        return try #require(command as? AnalyzePatternsSeedName).options
    }

    @Test(arguments: [
        (["--fdr", "1.5"], "--fdr"),
        (["--min-support", "0"], "--min-support"),
        (["--since", "yesterday"], "--since"),
        (["--target", "open"], "--target"),
        (["--sequence-max-length", "1"], "--sequence-max-length"),
        (["--top", "0"], "--top"),
    ])
    func refusesBadValuesNamingTheOption(_ arguments: [String], _ option: String) throws {
        // refused while parsing (before any database is reached), the message naming the option
        #expect {
            _ = try AIL.parseAsRoot(["learning", "analyze-patterns"] + arguments)
        } throws: { error in
            AIL.message(for: error).contains(option) && AIL.exitCode(for: error).rawValue == 64
        }
    }

    @Test func seedNameIsAcceptedAndSinceParses() throws {
        let o = try Self.options(["--since", "2026-03-01", "--fdr", "0.1"], name: "analyze_patterns").analysisOptions()
        #expect(o.fdr == 0.1)
        #expect(o.since == Date(timeIntervalSince1970: 1_772_323_200))  // 2026-03-01T00:00:00Z
    }

    @Test func emptyDatabaseRunsAndRecordsNothingTested() throws {
        let db = try TestDatabase.create()
        let command = try AIL.parseAsRoot(["learning", "analyze-patterns", "--dsn", db.dsn, "--format", "json"])
        try #require(command as? AnalyzePatterns).run()
        let c = try db.connect()
        let row = try c.execute("SELECT sessions_count, tests_count FROM pattern_runs")
        #expect(row.count == 1)
        #expect(try row[0].value(0, as: Int.self) == 0 && row[0].value(1, as: Int.self) == 0)
    }
}
