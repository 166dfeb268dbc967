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
}
