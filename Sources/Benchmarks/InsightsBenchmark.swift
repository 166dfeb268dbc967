import Foundation
import Store

/// `ail-bench insights [--developers N] [--days D] [--runs R] [--keep-data]`: `ail learning
/// generate-insights` end to end (a child process: the tables in, written insights out) on a
/// simulated workload of about 1,000,000 stored events (default 450 developers × 90 days of
/// `ail simulate`: the demo's simulator and planted effects, loaded through the ingest path into
/// a database of its own, `ail_insights_bench`). Before the timed runs, the pattern miner and the
/// anomaly detector run once, as in the demo, so every finding source has its input.
///
/// Printed per run: the time per stage from the run record (`ai_insight_runs.stage_seconds`),
/// the rest of the wall time (process start, connect, write), the total, the peak resident
/// memory, the CPU seconds of `ail` and of the server's backends (reaped by the postmaster, so
/// read from its `/proc` children times), and the load average: on a shared machine the wall
/// time depends on the load, the CPU seconds much less. Issue 14's goal: under 30 s on the
/// project's 2-core machine. `--keep-data` reuses a database loaded by an earlier run.
func runInsightsBenchmark(arguments: [String]) throws {
    let developers = Int(Bench.option("--developers", in: arguments) ?? "") ?? 450
    let days = Int(Bench.option("--days", in: arguments) ?? "") ?? 90
    let runs = Int(Bench.option("--runs", in: arguments) ?? "") ?? 2
    guard developers >= 1 else { throw StoreError(code: .invalidArgument, message: "--developers must be at least 1; got \(developers)") }
    guard days >= 7 else { throw StoreError(code: .invalidArgument, message: "--days must be at least 7; got \(days)") }
    guard runs >= 1 else { throw StoreError(code: .invalidArgument, message: "--runs must be at least 1; got \(runs)") }
    let root = FileManager.default.currentDirectoryPath
    let ail = "\(root)/.build/release/ail"
    let dir = "\(root)/.bench/insights"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)

    // A database of its own (the other sections fill the default one); a later keyword wins in a
    // libpq connection string, so the bench DSN with another dbname appended names it.
    let database = "ail_insights_bench"
    let admin = try Connection(dsn: try Bench.dsn())
    let dsn = try Bench.dsn() + " dbname=\(database)"
    let exists = try admin.execute("SELECT 1 FROM pg_database WHERE datname = $1", [.text(database)]).first != nil
    let keep = arguments.contains("--keep-data") && exists
    if !keep {
        try admin.execute("DROP DATABASE IF EXISTS \(database)")
        try admin.execute("CREATE DATABASE \(database)")
    }
    let connection = try Connection(dsn: dsn)
    _ = try MigrationRunner.embedded.migrate(connection)
    let postmaster = try Postmaster(connection)

    if !keep {
        let workload = "\(dir)/workload-\(developers)x\(days).ndjson"
        let load = try Bench.timedChild(ail, ["simulate", "--developers", "\(developers)", "--days", "\(days)", "--seed", "7",
                                              "--out", workload, "--load", "--dsn", dsn])
        try? FileManager.default.removeItem(atPath: workload)
        print(String(format: "insights benchmark: %d developers × %d days simulated and ingested in %.1f s", developers, days, load.seconds))
        try connection.execute("VACUUM ANALYZE")
    } else {
        print("insights benchmark: reusing database \(database) (--keep-data)")
    }
    let tables = ["ai_interactions", "tool_usage_analytics", "code_generation_events", "user_feedback",
                  "context_awareness_events", "learning_events"]
    var counts: [(String, Int)] = []
    for table in tables + ["ai_sessions"] {
        counts.append((table, Int(try connection.execute("SELECT count(*) FROM \(table)").first?.text(0) ?? "0") ?? 0))
    }
    // the six event tables and the sessions: on the simulated workload, every event ingested
    let events = counts.map(\.1).reduce(0, +)
    print("  \(events) stored events and sessions: "
          + counts.map { "\($0.0) \($0.1)" }.joined(separator: ", "))

    // The other sources' inputs, as in the demo (not part of the timed command).
    if !keep {
        let patterns = try Bench.timedChild(ail, ["learning", "analyze-patterns", "--dsn", dsn, "--format", "json"])
        let anomalies = try Bench.timedChild(ail, ["detect", "anomalies", "--dsn", dsn, "--format", "json"])
        print(String(format: "  inputs of the other sources: analyze-patterns %.1f s, detect anomalies %.1f s (not in the timed command)",
                     patterns.seconds, anomalies.seconds))
    }

    for run in 1...runs {
        let loadBefore = loadAverage()
        let serverBefore = postmaster.childrenCPUSeconds()
        let timed = try Bench.timedChild(ail, ["learning", "generate-insights", "--dsn", dsn, "--format", "json"])
        // the backend's time reaches the postmaster when it reaps the exited backend: wait for it (≤ 2 s)
        var serverCPU = postmaster.childrenCPUSeconds() - serverBefore
        for _ in 0..<20 where serverCPU == 0 {
            usleep(100_000)
            serverCPU = postmaster.childrenCPUSeconds() - serverBefore
        }
        let record = try connection.execute("SELECT stage_seconds::text, hypotheses FROM ai_insight_runs ORDER BY id DESC LIMIT 1").first
        let stages = try JSONSerialization.jsonObject(with: Data((record?.text(0) ?? "{}").utf8)) as? [String: Double] ?? [:]
        let hypotheses = record?.text(1) ?? "?"
        let stored = try connection.execute("SELECT count(*) FROM ai_performance_insights").first?.text(0) ?? "?"
        print(String(format: "  generate-insights run %d: %.2f s total (goal < 30 s), peak %.0f MB; CPU: ail %.2f s, server %.2f s; ",
                     run, timed.seconds, timed.peakMB, timed.cpuSeconds, serverCPU)
              + "\(hypotheses) hypotheses, \(stored) insights stored; load average before: \(loadBefore)")
        func row(_ name: String, _ seconds: Double) {
            print("    " + name.padding(toLength: 30, withPad: " ", startingAt: 0) + String(format: "%7.2f s", seconds))
        }
        for (stage, seconds) in stages.sorted(by: { $0.key < $1.key }) { row(stage, seconds) }
        row("rest (start, connect, write)", timed.seconds - stages.values.reduce(0, +))
    }
}

/// The 1, 5 and 15 minute load averages, as /proc/loadavg gives them.
private func loadAverage() -> String {
    let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
    return text.split(separator: " ").prefix(3).joined(separator: " ")
}

/// The benchmark server's postmaster: the CPU time of its exited children (backends) is the
/// server's share of a command's work.
private struct Postmaster {
    let pid: Int

    init(_ connection: Connection) throws {
        let folder = try connection.execute("SHOW data_directory").first?.text(0) ?? ""
        let text = (try? String(contentsOfFile: folder + "/postmaster.pid", encoding: .utf8)) ?? ""
        pid = Int(text.split(separator: "\n").first ?? "") ?? 0
    }

    /// cutime + cstime of /proc/PID/stat in seconds (0 when it cannot be read: another machine).
    func childrenCPUSeconds() -> Double {
        guard pid > 0, let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        // after "pid (comm)": state is field 3, cutime and cstime are fields 16 and 17
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 14, let cu = Double(fields[13]), let cs = Double(fields[14]) else { return 0 }
        return (cu + cs) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
