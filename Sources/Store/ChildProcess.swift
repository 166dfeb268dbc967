import Foundation

/// Runs child programs and waits for them, capturing their combined output.
///
/// Not Foundation's `Process`: on Linux it detects exit through a descriptor the child inherits,
/// and a daemon the program starts (`pg_ctl start`, or `ail` starting the embedded server) keeps
/// that descriptor open forever, so `waitUntilExit` never returns. This uses `posix_spawn`,
/// sends output to a temporary file, and waits with `waitpid`.
public enum ChildProcess {
    /// The exit status and combined standard output and error of a finished program.
    public struct Result: Sendable {
        /// The exit code, or 128 + signal number when the program was killed.
        public var status: Int32
        public var output: String
    }

    /// Runs `arguments[0]` (an absolute path) with the other arguments.
    /// - Parameters:
    ///   - environment: the child's environment; nil inherits this process's.
    ///   - input: a file to connect to standard input (default /dev/null).
    ///   - allowFailure: when false, a non-zero exit throws.
    @discardableResult
    public static func run(_ arguments: [String], environment: [String: String]? = nil, input: String? = nil,
                           allowFailure: Bool = false) throws -> Result {
        let child = try Spawned(arguments, environment: environment, input: input)
        let exitCode = try child.wait()
        let output = child.output().trimmingCharacters(in: .whitespacesAndNewlines)
        if exitCode != 0 && !allowFailure {
            throw StoreError(code: .embeddedServerFailed, message: "\(arguments.joined(separator: " ")) failed (exit \(exitCode)): \(output)")
        }
        return Result(status: exitCode, output: output)
    }

    /// A started program not yet waited for: poll it, signal it (or its process group), read
    /// its output so far. The output file is removed when the value is released.
    public final class Spawned: @unchecked Sendable {
        /// The child's process id (and its process group id when started with `newProcessGroup`).
        public let pid: pid_t
        private let program: String
        private let outputPath: String
        private var exitCode: Int32?

        /// Starts `arguments[0]` (an absolute path).
        /// - Parameters:
        ///   - environment: the child's environment; nil inherits this process's.
        ///   - input: a file for standard input (default /dev/null).
        ///   - newProcessGroup: start the child as the leader of a new process group, so
        ///     ``signalGroup(_:)`` reaches it and everything it starts, and a terminal's Ctrl-C
        ///     (sent to the foreground group) does not.
        public init(_ arguments: [String], environment: [String: String]? = nil, input: String? = nil,
                    newProcessGroup: Bool = false) throws {
            guard let program = arguments.first else {
                throw StoreError(code: .invalidArgument, message: "no program to run")
            }
            self.program = program
            outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("ail-run-\(UUID().uuidString).log").path
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 0, input ?? "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
            var attributes = posix_spawnattr_t()
            posix_spawnattr_init(&attributes)
            defer { posix_spawnattr_destroy(&attributes) }
            // The child starts with no blocked signals and default SIGTERM/SIGINT handling, whatever
            // the spawning thread had (a blocked SIGTERM would make the child unstoppable).
            var emptyMask = sigset_t()
            sigemptyset(&emptyMask)
            posix_spawnattr_setsigmask(&attributes, &emptyMask)
            var defaults = sigset_t()
            sigemptyset(&defaults)
            sigaddset(&defaults, SIGTERM)
            sigaddset(&defaults, SIGINT)
            posix_spawnattr_setsigdefault(&attributes, &defaults)
            var flags = Int32(POSIX_SPAWN_SETSIGMASK) | Int32(POSIX_SPAWN_SETSIGDEF)
            if newProcessGroup {
                posix_spawnattr_setpgroup(&attributes, 0)
                flags |= Int32(POSIX_SPAWN_SETPGROUP)
            }
            posix_spawnattr_setflags(&attributes, Int16(flags))
            var pid: pid_t = 0
            let environmentStrings: [String]? = environment.map { $0.map { "\($0.key)=\($0.value)" } }
            let status: Int32 = withCStrings(arguments) { argv in
                var argv = argv.map { UnsafeMutablePointer(mutating: $0) } + [nil]
                guard let environmentStrings else {
                    return posix_spawn(&pid, program, &actions, &attributes, &argv, environ)
                }
                return withCStrings(environmentStrings) { envp in
                    var envp = envp.map { UnsafeMutablePointer(mutating: $0) } + [nil]
                    return posix_spawn(&pid, program, &actions, &attributes, &argv, &envp)
                }
            }
            guard status == 0 else {
                unlink(outputPath)
                throw StoreError(code: .invalidArgument, message: "cannot run \(program): \(String(cString: strerror(status)))")
            }
            self.pid = pid
        }

        deinit { unlink(outputPath) }

        /// The exit code if the child has ended (reaping it), nil while it runs.
        public func poll() throws -> Int32? {
            try reap(options: WNOHANG)
        }

        /// Waits for the child to end and returns its exit code.
        public func wait() throws -> Int32 {
            while true { if let code = try reap(options: 0) { return code } }
        }

        private func reap(options: Int32) throws -> Int32? {
            if let exitCode { return exitCode }
            var waitStatus: Int32 = 0
            let result = waitpid(pid, &waitStatus, options)
            if result == 0 { return nil }
            if result < 0 {
                if errno == EINTR { return nil }
                throw StoreError(code: .invalidArgument, message: "waiting for \(program) failed: \(String(cString: strerror(errno)))")
            }
            // WIFEXITED / WEXITSTATUS are macros Swift cannot import; decode the status word by hand.
            let code: Int32 = (waitStatus & 0x7f) == 0 ? (waitStatus >> 8) & 0xff : 128 + (waitStatus & 0x7f)
            exitCode = code
            return code
        }

        /// Sends `signal` to the child's whole process group (only meaningful with `newProcessGroup`).
        public func signalGroup(_ signal: Int32) {
            kill(-pid, signal)
        }

        /// The combined output written so far.
        public func output() -> String {
            FileManager.default.contents(atPath: outputPath).map { String(decoding: $0, as: UTF8.self) } ?? ""
        }
    }
}
