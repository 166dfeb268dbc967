import Foundation
import Jobs
import Store
import TestSupport
import Testing

/// A database, a manual clock and schedulers that run the real `ail` binary.
struct SchedulerFixture {
    let database: TestDatabase
    let clock: ManualClock
    let launcher: JobLauncher

    init(at start: Date) throws {
        database = try TestDatabase.create()
        clock = ManualClock(start)
        let ail = try #require(PackagePaths.ailExecutable, "build the ail product first (swift build --build-tests builds it)")
        launcher = JobLauncher(executable: ail.path, environment: ["DATABASE_URL": database.dsn, "AIL_MIGRATIONS_DIR": PackagePaths.migrations.path])
    }

    func store() throws -> JobStore { JobStore(connection: try database.connect()) }

    func scheduler(runner: String = "test:1", lease: TimeInterval = 60) throws -> Scheduler {
        Scheduler(store: try store(), launcher: launcher, clock: clock, settings: RunSettings(lease: lease, grace: 5, runner: runner))
    }

    @discardableResult
    func add(_ name: String, _ schedule: String, _ command: [String], zone: String = "UTC", retry: RetryPolicy = RetryPolicy(),
             history: HistoryBound = HistoryBound()) throws -> Job {
        let store = try store()
        try store.add(try JobDefinition(name: name, command: command, schedule: try CronSchedule(schedule),
                                        clock: try WallClock(identifier: zone), retry: retry, history: history),
                      replace: false, now: clock.now())
        return try store.job(named: name)
    }

    func runs(_ name: String) throws -> [JobRun] { try store().history(name: name, limit: 100).reversed() }
}

@Suite("Scheduler on a real PostgreSQL with the real ail binary", .serialized)
struct SchedulerDatabaseTests {
    @Test func catchUpAfterDowntimeRunsOnce() throws {
        let f = try SchedulerFixture(at: utc("2026-11-30T09:10:00Z"))
        try f.add("status", "0 * * * *", ["db", "status"])
        let scheduler = try f.scheduler()
        #expect(try scheduler.tick().isEmpty)
        f.clock.set(utc("2026-11-30T13:20:00Z"))  // down through 10:00, 11:00, 12:00 and 13:00
        let caughtUp = try scheduler.tick()
        #expect(caughtUp.map(\.trigger) == [.catchUp])
        #expect(caughtUp.first?.status == .succeeded)
        #expect(caughtUp.first?.scheduledFor == utc("2026-11-30T10:00:00Z"))
        #expect(try scheduler.tick().isEmpty)
        #expect(try f.store().job(named: "status").timing.nextRunAt == utc("2026-11-30T14:00:00Z"))
        f.clock.set(utc("2026-11-30T14:00:00Z"))
        #expect(try scheduler.tick().map(\.trigger) == [.schedule])
        #expect(try f.runs("status").count == 2)
    }

    @Test func failingJobIsRecordedWithItsErrorAndRetriedWithBackoff() throws {
        let f = try SchedulerFixture(at: utc("2026-11-30T02:00:00Z"))
        try f.add("broken", "0 3 * * *", ["ingest", "/nonexistent/events.ndjson"])
        let scheduler = try f.scheduler()
        let start = utc("2026-11-30T03:00:00Z")
        for (offset, expectRun) in [(0.0, true), (59, false), (60, true), (179, false), (180, true), (419, false), (420, true), (3600, false)] {
            f.clock.set(start.addingTimeInterval(offset))
            #expect(try scheduler.tick().count == (expectRun ? 1 : 0), "at +\(offset) s")
        }
        let runs = try f.runs("broken")
        #expect(runs.map(\.attempt) == [1, 2, 3, 4])
        #expect(runs.map(\.trigger) == [.schedule, .retry, .retry, .retry])
        #expect(runs.map { $0.startedAt.timeIntervalSince(start) } == [0, 60, 180, 420])
        for run in runs {
            #expect(run.status == .failed && run.exitCode == 65)
            #expect(run.error == "exit 65: error: cannot open /nonexistent/events.ndjson: no such file")
        }
        let job = try f.store().job(named: "broken")
        #expect(job.timing.retryAt == nil && job.timing.nextRunAt == utc("2026-12-01T03:00:00Z"))
    }

    @Test func twoSchedulersStartedTogetherRunEachDueJobExactlyOnce() throws {
        let f = try SchedulerFixture(at: utc("2026-11-30T02:00:00Z"))
        let names = (1...4).map { "status-\($0)" }
        for name in names { try f.add(name, "0 3 * * *", ["db", "status"]) }
        f.clock.set(utc("2026-11-30T03:00:00Z"))
        let schedulers = try [f.scheduler(runner: "a:1"), f.scheduler(runner: "b:2")]
        let results = Results()
        let group = DispatchGroup()
        let gate = DispatchSemaphore(value: 0)
        for (index, scheduler) in schedulers.enumerated() {
            let box = UncheckedBox(scheduler)
            Thread.detachNewThread {
                group.enter()
                gate.wait()
                do { results.set(index, try box.value.tick().map(\.jobName)) } catch { results.set(index, ["error: \(error)"]) }
                group.leave()
            }
        }
        usleep(100_000)
        gate.signal(); gate.signal()
        #expect(group.wait(timeout: .now() + 120) == .success)
        let ran = results.all.flatMap { $0 }
        #expect(ran.sorted() == names, "\(results.all)")
        for name in names { #expect(try f.runs(name).map(\.status) == [.succeeded]) }
    }

    @Test func expiredLeaseMarksARunAbandonedAndTheJobRunsAtItsNextTime() throws {
        let f = try SchedulerFixture(at: utc("2026-11-30T02:59:00Z"))
        let job = try f.add("status", "0 3 * * *", ["db", "status"])
        // A scheduler that started the 03:00 run and died: its run row stays running, its lease runs out.
        let now = utc("2026-11-30T03:00:00Z")
        let due = try #require(job.timing.due(at: now, schedule: job.definition.schedule, clock: job.definition.clock))
        let store = try f.store()
        _ = try store.startRun(jobID: job.id, run: due, timing: job.timing.starting(due, at: now, schedule: job.definition.schedule, clock: job.definition.clock),
                               at: now, leaseUntil: now.addingTimeInterval(60), runner: "dead:1")
        let scheduler = try f.scheduler()
        f.clock.set(now.addingTimeInterval(59))
        #expect(try scheduler.tick().isEmpty)
        #expect(try f.runs("status").map(\.status) == [.running])
        f.clock.set(now.addingTimeInterval(61))
        #expect(try scheduler.tick().isEmpty)  // abandoned, and not re-run before its next time
        #expect(try f.runs("status").map(\.status) == [.abandoned])
        f.clock.set(utc("2026-12-01T03:00:00Z"))
        #expect(try scheduler.tick().map(\.status) == [.succeeded])
        #expect(try f.runs("status").map(\.status) == [.abandoned, .succeeded])
    }

    @Test func historyIsBoundedByCountAndAge() throws {
        let f = try SchedulerFixture(at: utc("2026-11-30T02:00:00Z"))
        try f.add("status", "0 3 * * *", ["db", "status"], history: try HistoryBound(maxRuns: 3, maxDays: 2))
        let scheduler = try f.scheduler()
        for _ in 1...5 { _ = try scheduler.runNow("status") }
        let kept = try f.runs("status")
        #expect(kept.count == 3)
        #expect(kept.map(\.trigger) == [.manual, .manual, .manual])
        f.clock.advance(3 * 86_400)
        _ = try scheduler.runNow("status")
        #expect(try f.runs("status").count == 1)
    }
}

final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int: [String]] = [:]
    func set(_ index: Int, _ value: [String]) { lock.withLock { values[index] = value } }
    var all: [[String]] { lock.withLock { values.keys.sorted().map { values[$0] ?? [] } } }
}

struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
