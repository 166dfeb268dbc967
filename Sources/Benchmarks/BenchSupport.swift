import Foundation
import Store

/// Shared helpers for benchmark sections.
enum Bench {
    /// The database a section may fill: AIL_BENCH_DSN (the Makefile starts a throwaway server).
    static func dsn() throws -> String {
        guard let dsn = ProcessInfo.processInfo.environment["AIL_BENCH_DSN"], !dsn.isEmpty else {
            throw StoreError(code: .invalidArgument, message: "AIL_BENCH_DSN is not set; run the benchmark through `make bench`")
        }
        return dsn
    }

    /// Seconds taken by `body`.
    static func time(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    static func median(_ values: [Double]) -> Double {
        let s = values.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    /// Runs a program to completion; throws if it fails.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw StoreError(code: .invalidArgument, message: "\(executable) \(arguments.joined(separator: " ")) exited with \(process.terminationStatus)")
        }
    }

    /// Finds an executable on PATH (or the PostgreSQL bin folders).
    static func which(_ name: String) -> String? {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        let pg = ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []).sorted().reversed().map { "/usr/lib/postgresql/\($0)/bin" }
        for dir in path + pg where FileManager.default.isExecutableFile(atPath: dir + "/" + name) { return dir + "/" + name }
        return nil
    }

    static func option(_ name: String, in arguments: [String]) -> String? {
        guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return nil }
        return arguments[i + 1]
    }

    /// Runs a child (stdout to /dev/null) and reports its wall time, peak resident memory and CPU
    /// time (user + system; from wait4's rusage).
    static func timedChild(_ executable: String, _ arguments: [String]) throws -> (seconds: Double, peakMB: Double, cpuSeconds: Double) {
        var pid: pid_t = 0
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        let start = DispatchTime.now().uptimeNanoseconds
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        defer { posix_spawn_file_actions_destroy(&actions) }
        guard posix_spawn(&pid, executable, &actions, nil, argv, environ) == 0 else {
            throw StoreError(code: .invalidArgument, message: "cannot start \(executable)")
        }
        var status: Int32 = 0
        var usage = rusage()
        wait4(pid, &status, 0, &usage)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        guard status == 0 else { throw StoreError(code: .invalidArgument, message: "\(executable) \(arguments.joined(separator: " ")) failed (status \(status))") }
        let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        return (seconds, Double(usage.ru_maxrss) / 1024, cpu)
    }

    /// Runs a peer Python script with `arguments`; it prints "seconds peak_mb" last, and may print
    /// one "# detail" line, echoed as "  peer: detail".
    static func peer(_ python: String, script: String, _ arguments: [String]) throws -> (seconds: Double, peakMB: Double) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let fields = output.split(whereSeparator: \.isWhitespace).compactMap { Double($0) }
        guard process.terminationStatus == 0, fields.count >= 2 else {
            throw StoreError(code: .invalidArgument, message: "\(URL(fileURLWithPath: script).lastPathComponent) \(arguments.first ?? "") failed: \(output)")
        }
        if let detail = output.split(separator: "\n").first(where: { $0.hasPrefix("#") }) { print("  peer: " + detail.dropFirst(2)) }
        return (fields[fields.count - 2], fields[fields.count - 1])
    }
}
