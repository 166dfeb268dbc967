import Foundation
import Store
import Testing
import TestSupport
@testable import Tracking

@Suite struct SessionMonitorTests {
    func makeMonitor() throws -> (SessionMonitor, Connection, URL) {
        let db = try TestDatabase.create()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ail-monitor-\(UUID().uuidString)")
        let monitor = SessionMonitor(connection: try db.connect(), pseudonymizer: Pseudonymizer(key: Data("k".utf8)),
                                     currentSessionFile: folder.appendingPathComponent("current_session"))
        return (monitor, try db.connect(), folder)
    }

    func scalar(_ c: Connection, _ sql: String) throws -> Int? {
        try c.execute(sql).first?.value(0, as: Int.self)
    }

    /// An event logged while another process is ending its session waits for that end and is then
    /// refused; it is never stored in a session that has ended. (Connection `other` plays the
    /// other process: it ends the session in a transaction and commits after a pause.)
    @Test func anEventRacingAnEndWaitsAndIsRefused() throws {
        let (monitor, other, folder) = try makeMonitor()
        defer { try? FileManager.default.removeItem(at: folder) }
        try monitor.startSession(id: "race")
        try other.executeScript("BEGIN")
        try other.execute("UPDATE ai_sessions SET ended_at = now(), end_event_id = gen_random_uuid() WHERE session_id = $1",
                          [.text("race")])
        final class Handoff: @unchecked Sendable {   // the connection is used by the thread alone from here
            let connection: Connection
            init(_ connection: Connection) { self.connection = connection }
        }
        let handoff = Handoff(other)
        let committer = Thread {
            Thread.sleep(forTimeInterval: 0.5)
            _ = try? handoff.connection.executeScript("COMMIT")
        }
        committer.start()
        #expect {
            try monitor.logFeedback(rating: 4, session: "race")
        } throws: { error in
            if case MonitorError.sessionEnded(let id, _)? = error as? MonitorError { return id == "race" }
            return false
        }
        while committer.isExecuting || !committer.isFinished { Thread.sleep(forTimeInterval: 0.01) }
        #expect(try scalar(other, "SELECT count(*)::int FROM user_feedback") == 0)
    }

    @Test func theSeedsSessionEndToEnd() throws {
        let (monitor, c, folder) = try makeMonitor()
        defer { try? FileManager.default.removeItem(at: folder) }
        var now = Date(timeIntervalSince1970: 1_767_603_600)  // 2026-01-05T09:00:00Z
        monitor.clock = { now }

        let start = try monitor.startSession(id: "dev_session_001", context: JSONText(#"{"task": "database_design", "files": ["migrations/"]}"#),
                                             developer: "ada", tags: ["db"])
        #expect(start.stored)
        #expect(monitor.currentSession == "dev_session_001")
        now += 60
        try monitor.logToolUsage(tool: "grep", success: true, executionTimeMs: 150)
        try monitor.logToolUsage(tool: "bash", success: false, executionTimeMs: 900, errorType: "exit_status",
                                 errorMessage: "curl -H 'Authorization: Bearer abcdefgh12345678' failed")
        let generation = try monitor.logCodeGeneration(filePath: "new_migration.sql", type: .migration, language: "sql", linesGenerated: 40, complexity: 3)
        #expect(generation.generationID != nil)
        now += 30
        #expect(try monitor.decideCode(generationID: generation.generationID!, accepted: true, linesModified: 4) == 1)
        try monitor.logInteraction(type: .toolCall, model: "claude", success: true, responseTimeMs: 420, tokensIn: 100, tokensOut: 50)
        try monitor.logContext(type: .gitStatus, data: JSONText(#"{"branch":"main","dirty":true}"#), relevance: 0.7)
        try monitor.logLearning(type: "pattern", description: "prefer COPY", confidence: 0.8, applied: true, appliedSuccessfully: true)
        try monitor.logFeedback(rating: 4, text: "good", tags: ["db"])
        now += 600
        let end = try monitor.endSession(rating: 5, text: "Excellent assistance")
        #expect(end.stored)
        #expect(monitor.currentSession == nil)

        let status = try #require(try monitor.status(session: "dev_session_001"))
        #expect(status.taskType == "database_design")
        #expect(status.endRating == 5)
        #expect(status.developerID == Pseudonymizer(key: Data("k".utf8)).pseudonym(for: "ada"))
        #expect(status.startedAt == Date(timeIntervalSince1970: 1_767_603_600))
        #expect(status.endedAt == Date(timeIntervalSince1970: 1_767_603_600 + 690))
        // Interactions: the one logged, plus the tool_call interaction of each tool call and the
        // code_generation interaction of the generation, which SessionMonitor derives itself.
        #expect(status.counts == ["interactions": 4, "tool_calls": 2, "tool_failures": 1, "code_generations": 1,
                                  "accepted_generations": 1, "feedback": 2, "context_events": 1, "learning_events": 1])
        let decided = try c.execute("SELECT accepted, time_to_decision_ms, lines_modified FROM code_generation_events")
        #expect(try decided[0].value("time_to_decision_ms", as: Double.self) == 30_000)
        #expect(try decided[0].value("lines_modified", as: Int.self) == 4)
        #expect(try c.execute("SELECT error_message FROM tool_usage_analytics WHERE tool_name = 'bash'")[0].value(0, as: String.self)
                == "curl -H 'Authorization: Bearer [REDACTED:bearer_token]' failed")
    }

    @Test func sameEventIDTwiceIsStoredOnce() throws {
        let (monitor, c, folder) = try makeMonitor()
        defer { try? FileManager.default.removeItem(at: folder) }
        try monitor.startSession(id: "s")
        let id = UUID()
        #expect(try monitor.logToolUsage(tool: "grep", success: true, eventID: id).stored)
        #expect(try !monitor.logToolUsage(tool: "grep", success: true, eventID: id).stored)
        #expect(try scalar(c, "SELECT count(*) FROM tool_usage_analytics") == 1)
        #expect(try monitor.endSession(rating: 3, session: "s", eventID: id).stored)  // another table: its own key space
        #expect(try !monitor.endSession(rating: 3, session: "s", eventID: id).stored)  // a retry
        #expect(try scalar(c, "SELECT end_rating::int FROM ai_sessions") == 3)
    }

    @Test func invalidInputNamesTheField() throws {
        let (monitor, _, folder) = try makeMonitor()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: MonitorError.self) { try monitor.logToolUsage(tool: "grep", success: true) }  // no session yet
        try monitor.startSession(id: "s")
        do {
            try monitor.logFeedback(rating: 6)
            Issue.record("rating 6 accepted")
        } catch MonitorError.invalid(let r) {
            #expect(r.description == "rating: out of range (expected 1...5, got 6)")
        }
        do {
            try monitor.logContext(type: .diagnostics, data: JSONText("{}"), relevance: 1.5)
            Issue.record("relevance 1.5 accepted")
        } catch MonitorError.invalid(let r) {
            #expect(r.description == "relevance_score: out of range (expected 0...1, got 1.5)")
        }
        #expect(throws: MonitorError.self) { try monitor.decideCode(generationID: "nope", accepted: true) }
    }

    /// Unlike ingest, the monitor starts a session once, ends it once and logs only in between.
    @Test func startedOnceEndedOnceAndNoPhantomSessions() throws {
        let (monitor, c, folder) = try makeMonitor()
        defer { try? FileManager.default.removeItem(at: folder) }
        monitor.clock = { Date(timeIntervalSince1970: 1_767_603_600) }  // 2026-01-05T09:00:00Z
        func message(_ call: () throws -> Void) -> String {
            do { try call(); return "no error" } catch { return "\(error)" }
        }
        #expect(message { try monitor.logToolUsage(tool: "grep", success: true, session: "never-started") }
                == "session never-started does not exist: start it first with `ail monitor start-session --id never-started`")
        #expect(message { try monitor.endSession(session: "never-started") }.hasPrefix("session never-started does not exist"))
        #expect(try scalar(c, "SELECT count(*) FROM ai_sessions") == 0)

        let startID = UUID()
        #expect(try monitor.startSession(id: "s", eventID: startID).stored)
        #expect(try !monitor.startSession(id: "s", eventID: startID).stored)  // a retry
        #expect(message { try monitor.startSession(id: "s") }
                == "session s already exists (started 2026-01-05T09:00:00.000Z); choose another id, or pass its --event-id to retry the same start")
        try monitor.endSession(rating: 4, session: "s")
        #expect(message { try monitor.endSession(rating: 2, session: "s") }
                == "session s already ended (at 2026-01-05T09:00:00.000Z); pass its --event-id to retry the same end")
        #expect(message { try monitor.logFeedback(rating: 5, session: "s") }
                == "session s has ended (at 2026-01-05T09:00:00.000Z): start a new session to record more events")
        #expect(message { try monitor.startSession(id: "s") }.hasPrefix("session s already exists (started 2026-01-05T09:00:00.000Z, ended 2026-01-05T09:00:00.000Z)"))
        #expect(try scalar(c, "SELECT count(*) FROM user_feedback") == 1)  // the end rating only
    }

    @Test func aPlaceholderLeftByIngestIsFilledIn() throws {
        let (monitor, c, folder) = try makeMonitor()
        defer { try? FileManager.default.removeItem(at: folder) }
        try c.execute("INSERT INTO ai_sessions (session_id, started_at) VALUES ('from-ingest', now())")
        try monitor.logToolUsage(tool: "grep", success: true, session: "from-ingest")
        try monitor.startSession(id: "from-ingest", developer: "bob")
        #expect(try scalar(c, "SELECT count(*) FROM ai_sessions WHERE session_id = 'from-ingest' AND developer_id IS NOT NULL") == 1)
    }
}

/// Items 9 and 22 through the API: the derived interaction is written by `SessionMonitor` itself
/// (so the API and `ail monitor` agree), and a retry is a no-op only when identical.
@Suite struct SessionMonitorRetryTests {
    @Test func derivedInteractionAndConflictingRetries() throws {
        let db = try TestDatabase.create()
        let c = try db.connect()
        let monitor = SessionMonitor(connection: c, pseudonymizer: Pseudonymizer(key: Data("k".utf8)))
        var now = Date(timeIntervalSince1970: 1_767_603_600)
        monitor.clock = { now }
        try monitor.startSession(id: "s")
        let id = UUID()
        #expect(try monitor.logToolUsage(tool: "grep", success: false, executionTimeMs: 12, errorType: "exit", session: "s", eventID: id).stored)
        now += 60  // a retry later on: the time is taken from the stored event, so it is identical
        #expect(try !monitor.logToolUsage(tool: "grep", success: false, executionTimeMs: 12, errorType: "exit", session: "s", eventID: id).stored)
        let derived = try c.execute("""
            SELECT event_id, interaction_type, success, response_time_ms, error_type FROM ai_interactions
            """)
        #expect(derived.count == 1)
        #expect(try derived[0].value("event_id", as: UUID.self) == SessionMonitor.derivedEventID(id))
        #expect(try derived[0].value("interaction_type", as: String.self) == "tool_call")
        #expect(try derived[0].value("success", as: Bool.self) == false)
        #expect(try derived[0].value("response_time_ms", as: Double.self) == 12)
        #expect(try derived[0].value("error_type", as: String.self) == "exit")
        do {
            try monitor.logToolUsage(tool: "grep", success: true, executionTimeMs: 12, errorType: "exit", session: "s", eventID: id)
            Issue.record("a conflicting retry was accepted")
        } catch MonitorError.conflict(let why) {
            #expect(why.description == "event_id: conflict (already recorded with different success)")
        }
        #expect(try c.execute("SELECT count(*)::int FROM ai_interactions")[0].value(0, as: Int.self) == 1)
        #expect(try c.execute("SELECT success FROM tool_usage_analytics")[0].value(0, as: Bool.self) == false)
    }
}
