import Foundation
import Jobs
import Testing

@Suite("Due runs, catch-up and retry backoff (no server)")
struct JobTimingTests {
    let hourly = try! CronSchedule("0 * * * *")
    let utcClock = try! WallClock(identifier: "UTC")

    @Test func missedRunsRunOnceOnCatchUp() throws {
        var timing = JobTiming(nextRunAt: utc("2026-11-30T10:00:00Z"))
        #expect(timing.due(at: utc("2026-11-30T09:59:59Z"), schedule: hourly, clock: utcClock) == nil)
        let onTime = try #require(timing.due(at: utc("2026-11-30T10:00:05Z"), schedule: hourly, clock: utcClock))
        #expect(onTime.trigger == .schedule)
        // Down from 10:00 to 13:20: one run for the four missed times, then 14:00.
        let now = utc("2026-11-30T13:20:00Z")
        let due = try #require(timing.due(at: now, schedule: hourly, clock: utcClock))
        #expect(due == JobTiming.DueRun(trigger: .catchUp, attempt: 1, scheduledFor: utc("2026-11-30T10:00:00Z")))
        timing = timing.starting(due, at: now, schedule: hourly, clock: utcClock)
        #expect(timing.nextRunAt == utc("2026-11-30T14:00:00Z"))
        #expect(timing.due(at: now, schedule: hourly, clock: utcClock) == nil)
    }

    @Test func failuresRetryAfterOneTwoAndFourMinutesThenStop() throws {
        let policy = RetryPolicy()
        #expect((1...4).map { policy.delay(afterFailedAttempt: $0) } == [60, 120, 240, nil])
        let start = utc("2026-11-30T03:00:00Z")
        var timing = JobTiming(nextRunAt: start)
        var now = start
        var attempts: [(Int, Date)] = []
        while let due = timing.due(at: now, schedule: hourly, clock: utcClock), attempts.count < 10 {
            attempts.append((due.attempt, now))
            timing = timing.starting(due, at: now, schedule: hourly, clock: utcClock)
                .finishing(attempt: due.attempt, trigger: due.trigger, succeeded: false, at: now, policy: policy)
            now = timing.retryAt ?? now
        }
        #expect(attempts.map(\.0) == [1, 2, 3, 4])
        #expect(attempts.map { $0.1.timeIntervalSince(start) } == [0, 60, 180, 420])
        #expect(timing.retryAt == nil)
    }

    @Test func aScheduledTimeSupersedesAPendingRetryAndManualRunsNeverRetry() throws {
        let timing = JobTiming(nextRunAt: utc("2026-11-30T04:00:00Z"), retryAt: utc("2026-11-30T04:03:00Z"), retryAttempt: 3)
        let due = try #require(timing.due(at: utc("2026-11-30T04:05:00Z"), schedule: hourly, clock: utcClock))
        #expect(due.trigger == .schedule && due.attempt == 1)
        let started = timing.starting(due, at: utc("2026-11-30T04:05:00Z"), schedule: hourly, clock: utcClock)
        #expect(started.retryAt == nil && started.retryAttempt == nil)
        let manual = started.finishing(attempt: 1, trigger: .manual, succeeded: false, at: utc("2026-11-30T04:06:00Z"), policy: RetryPolicy())
        #expect(manual.retryAt == nil)
    }
}

@Suite("What is kept of a run's output")
struct RunReportTests {
    @Test func rowsProcessedFromTheIngestSummaryOrFinalJSON() {
        #expect(RunReport(exitCode: 0, output: "ail: started\nreceived 10, inserted 8, duplicates 2, rejected 0\n").rowsProcessed == 8)
        #expect(RunReport(exitCode: 0, output: "note\n{\n  \"duplicates\" : 0,\n  \"inserted\" : 5,\n  \"received\" : 5\n}\n").rowsProcessed == 5)
        #expect(RunReport(exitCode: 0, output: "{\"num_rows_processed\": 42}").rowsProcessed == 42)
        #expect(RunReport(exitCode: 0, output: "target:     embedded\nrunning:    yes").rowsProcessed == nil)
    }

    @Test func errorIsTheLastErrorLineAndTheTailIsBounded() {
        let failed = RunReport(exitCode: 65, output: "ail: note\nerror: cannot open x.ndjson: no such file\nmore\n")
        #expect(failed.error == "exit 65: error: cannot open x.ndjson: no such file")
        #expect(RunReport(exitCode: 137, output: "").error == "killed by signal 9")
        #expect(RunReport(exitCode: 0, output: "fine").error == nil)
        let long = (1...100).map { "line \($0)" }.joined(separator: "\n")
        let tail = RunReport(exitCode: 0, output: long).outputTail
        #expect(tail.hasPrefix("line 61\n") && tail.hasSuffix("line 100"))
        let wide = RunReport(exitCode: 0, output: String(repeating: "x", count: 20_000)).outputTail
        #expect(wide.utf8.count <= RunReport.maximumBytes)
    }
}
