import ArgumentParser
import Foundation
import Reporting
import Testing
import TestSupport
@testable import AILCommandLine

/// The reporting commands' options: the seed's alias, refused values named, and the commands
/// run end to end on the simulated workload.
@Suite struct ReportingCommandTests {
    @Test func seedAliasParsesToTheSameExport() throws {
        let alias = try #require(try AIL.parseAsRoot(["export_learning_data", "--out", "x"]) as? ExportLearningDataAlias)
        let command = try #require(try AIL.parseAsRoot(["learning", "export", "--out", "x"]) as? LearningExportCommand)
        #expect(alias.options.out == "x" && command.options.out == "x")
        #expect(try #require(try AIL.parseAsRoot(["learning", "export"]) as? LearningExportCommand).options.out == "notebooks-data")
        #expect(!AIL.helpMessage().contains("export_learning_data"), "the alias is hidden")
    }

    @Test(arguments: [
        (["dashboard", "--days", "0"], "--days must be between 1 and 3660; got 0"),
        (["trends", "--days=-3"], "--days must be between 1 and 3660; got -3"),
        (["dashboard", "--as-of", "2026-02-30"], "--as-of must be a date YYYY-MM-DD; got '2026-02-30'"),
        (["report", "--out", "dir/"], "--out must name a file, e.g. report.html; got 'dir/'"),
    ])
    func refusedOptionsNameTheField(arguments: [String], message: String) {
        do {
            _ = try AIL.parseAsRoot(arguments)
            Issue.record("\(arguments) was accepted")
        } catch {
            #expect(AIL.message(for: error) == message)
            #expect(AIL.exitCode(for: error).rawValue == 64)
        }
    }

    @Test func commandsRunOnTheSimulatedWorkload() throws {
        let dsn = try SimulatedWorkload.database.get().dsn
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ail-cmd-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("nested/report.html").path
        var report = try #require(try AIL.parseAsRoot(["report", "--out", out, "--days", "14", "--dsn", dsn]) as? ReportCommand)
        try report.run()
        let html = try String(contentsOfFile: out, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("2026-01-31 to 2026-02-13 (14 days, UTC)"))
        // --as-of moves the window; the default is the day of the latest event.
        let d = try Dashboard.read(try SimulatedWorkload.connect(), days: 7, asOf: nil)
        #expect(d.window.lastText == "2026-02-13")
        let earlier = try Dashboard.read(try SimulatedWorkload.connect(), days: 7, asOf: DayWindow.day("2026-01-20"))
        #expect(earlier.window.lastText == "2026-01-20" && earlier.current.sessions != d.current.sessions)
        let json = try JSONOutput.text(d.jsonObject(), pretty: false)
        #expect(json.contains("\"key\":\"success_rate\"") && json.contains("\"sparkline\":"))
    }
}
