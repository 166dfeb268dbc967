import Foundation
import Store
import Testing
import TestSupport
@testable import Tracking

/// Loads of overlapping data at the same time, and the retry of a chunk's transaction after a
/// deadlock or serialization failure: every event is stored once and counted once.
@Suite(.tags(.heavy), .enabled(if: HeavyTests.enabled, HeavyTests.reason)) struct IngestConcurrencyTests {
    static let key = Data("concurrency-key".utf8)

    /// Results of the two ingest threads.
    final class Results: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [Int: Result<IngestSummary, any Error>] = [:]
        func set(_ k: Int, _ r: Result<IngestSummary, any Error>) { lock.lock(); values[k] = r; lock.unlock() }
        func get(_ k: Int) -> Result<IngestSummary, any Error>? { lock.lock(); defer { lock.unlock() }; return values[k] }
    }

    /// Hands a value to one other thread, which alone uses it from then on.
    final class Owned<T>: @unchecked Sendable {
        let value: T
        init(_ value: T) { self.value = value }
    }

    /// The reviewer's repro (`ail simulate --developers 5 --days 20 --seed 99`, two
    /// `ail ingest --chunk-size 500` at once) through the library: two connections, two threads,
    /// started together, on a fresh database each round; in the later rounds the second run cuts
    /// its chunks elsewhere (317 lines), so the two transactions hold different mixes of rows.
    @Test func twoIngestsOfTheSameFileAtOnce() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ail-conc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("c.ndjson")
        let truth = try WorkloadSimulator(developers: 5, days: 20, seed: 99).write(to: file)
        let total = truth.eventCounts.values.reduce(0, +)  // every simulated event id is distinct
        #expect(total > 2000)

        for round in 0..<4 {
            let db = try TestDatabase.create()
            let connections = [try db.connect(), try db.connect()]
            let results = Results()
            let go = DispatchSemaphore(value: 0), done = DispatchGroup()
            for k in 0..<2 {
                // Each ingester (and its connection) is used by its own thread only.
                let ingester = Owned(BatchIngester(loader: EventLoader(connection: connections[k], pseudonymizer: Pseudonymizer(key: Self.key)),
                                                   chunkSize: k == 1 && round >= 2 ? 317 : 500))
                done.enter()
                let thread = Thread {
                    go.wait()
                    results.set(k, Result { try ingester.value.ingest(path: file.path) })
                    done.leave()
                }
                thread.start()
            }
            go.signal(); go.signal()
            done.wait()

            var inserted = 0
            for k in 0..<2 {
                switch results.get(k) {
                case .success(let s)?:
                    #expect(s.received == total && s.rejected == 0 && s.inserted + s.duplicates == total, "\(s)")
                    inserted += s.inserted
                case .failure(let error)?: Issue.record("ingest \(k) failed: \(error)")
                case nil: Issue.record("ingest \(k) did not finish")
                }
            }
            #expect(inserted == total)
            let c = try db.connect()
            #expect(try IngestTests.storedEvents(c) == total)
            let sessions = try c.execute("SELECT count(*)::bigint AS n, count(ended_at)::bigint AS ended FROM ai_sessions")
            #expect(try sessions[0].value("n", as: Int.self) == truth.sessions)
            #expect(try sessions[0].value("ended", as: Int.self) == truth.sessions)
        }
    }

    /// A trigger makes the interaction insert fail with the given SQLSTATEs, one per attempt, then succeed.
    func failInteractionInserts(_ c: Connection, states: [String]) throws {
        let cases = states.enumerated().map { "WHEN \($0.offset + 1) THEN RAISE EXCEPTION 'injected %', '\($0.element)' USING ERRCODE = '\($0.element)';" }
            .joined(separator: " ")
        try c.executeScript("""
            CREATE SEQUENCE ail_test_attempts;
            CREATE FUNCTION ail_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                CASE nextval('ail_test_attempts') \(cases) ELSE NULL; END CASE;
                RETURN NULL;
            END $$;
            CREATE TRIGGER ail_test_fail AFTER INSERT ON ai_interactions FOR EACH STATEMENT EXECUTE FUNCTION ail_test_fail();
            """)
    }

    func attempts(_ c: Connection) throws -> Int? {
        try c.execute("SELECT last_value FROM ail_test_attempts")[0].value(0, as: Int.self)
    }

    static let lines = [
        #"{"type":"session_start","event_id":"00000000-0000-4000-8000-000000000001","session_id":"r","started_at":"2026-01-05T09:00:00Z"}"#,
        #"{"type":"interaction","event_id":"00000000-0000-4000-8000-000000000002","session_id":"r","occurred_at":"2026-01-05T09:01:00Z","interaction_type":"user_query","success":true}"#,
        #"{"type":"tool_usage","event_id":"00000000-0000-4000-8000-000000000003","session_id":"r","occurred_at":"2026-01-05T09:02:00Z","tool_name":"grep","success":true}"#,
        #"{"type":"session_end","event_id":"00000000-0000-4000-8000-000000000004","session_id":"r","ended_at":"2026-01-05T10:00:00Z","rating":4}"#,
        #"{"type":"feedback","event_id":"00000000-0000-4000-8000-000000000005","session_id":"r","occurred_at":"2026-01-05T09:03:00Z","rating":9}"#,
    ]

    func ingest(_ ingester: BatchIngester) throws -> IngestSummary {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ail-retry-\(UUID().uuidString).ndjson")
        try (Self.lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        return try ingester.ingest(path: url.path)
    }

    /// A deadlock, then a serialization failure: the chunk's third attempt commits it, once, with
    /// exact counts, although the first attempt's temporary staging tables were rolled back with it.
    @Test func aChunkIsRetriedAfterADeadlockOrSerializationFailure() throws {
        let db = try TestDatabase.create()
        let c = try db.connect()
        try failInteractionInserts(c, states: ["40P01", "40001"])
        let ingester = BatchIngester(loader: EventLoader(connection: try db.connect(), pseudonymizer: Pseudonymizer(key: Self.key)))
        #expect(try ingest(ingester) == IngestSummary(received: 5, inserted: 4, duplicates: 0, rejected: 1))
        #expect(try attempts(c) == 3)
        #expect(try IngestTests.storedEvents(c) == 4)
        #expect(try c.execute("SELECT count(*)::bigint FROM ingest_rejects")[0].value(0, as: Int.self) == 1)
        #expect(try c.execute("SELECT count(*)::bigint FROM user_feedback")[0].value(0, as: Int.self) == 1)
    }

    /// Other errors are not retried; retries stop after `maximumAttempts`; the loader works after either.
    @Test func otherErrorsAreNotRetriedAndRetriesAreBounded() throws {
        let db = try TestDatabase.create()
        let c = try db.connect()
        try failInteractionInserts(c, states: ["P0001"] + Array(repeating: "40P01", count: EventLoader.maximumAttempts))
        let ingester = BatchIngester(loader: EventLoader(connection: try db.connect(), pseudonymizer: Pseudonymizer(key: Self.key)))
        do {
            _ = try ingest(ingester)
            Issue.record("an injected P0001 was not reported")
        } catch let error as StoreError {
            #expect(error.sqlState == "P0001")
        }
        #expect(try attempts(c) == 1)
        do {
            _ = try ingest(ingester)
            Issue.record("a persistent deadlock was not reported")
        } catch let error as StoreError {
            #expect(error.sqlState == "40P01")
        }
        #expect(try attempts(c) == 1 + EventLoader.maximumAttempts)
        #expect(try IngestTests.storedEvents(c) == 0)
        // The next run goes through (the trigger has run out of failures) with exact counts.
        #expect(try ingest(ingester) == IngestSummary(received: 5, inserted: 4, duplicates: 0, rejected: 1))
    }
}
