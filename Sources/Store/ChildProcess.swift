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
        guard let program = arguments.first else {
            throw StoreError(code: .invalidArgument, message: "no program to run")
        }
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("ail-run-\(UUID().uuidString).log").path
        defer { unlink(outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, input ?? "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var pid: pid_t = 0
        let environmentStrings: [String]? = environment.map { $0.map { "\($0.key)=\($0.value)" } }
        let status: Int32 = withCStrings(arguments) { argv in
            var argv = argv.map { UnsafeMutablePointer(mutating: $0) } + [nil]
            guard let environmentStrings else {
                return posix_spawn(&pid, program, &actions, nil, &argv, environ)
            }
            return withCStrings(environmentStrings) { envp in
                var envp = envp.map { UnsafeMutablePointer(mutating: $0) } + [nil]
                return posix_spawn(&pid, program, &actions, nil, &argv, &envp)
            }
        }
        guard status == 0 else {
            throw StoreError(code: .invalidArgument, message: "cannot run \(program): \(String(cString: strerror(status)))")
        }
        var waitStatus: Int32 = 0
        while waitpid(pid, &waitStatus, 0) < 0 {
            guard errno == EINTR else {
                throw StoreError(code: .invalidArgument, message: "waiting for \(program) failed: \(String(cString: strerror(errno)))")
            }
        }
        // WIFEXITED / WEXITSTATUS are macros Swift cannot import; decode the status word by hand.
        let exitCode: Int32 = (waitStatus & 0x7f) == 0 ? (waitStatus >> 8) & 0xff : 128 + (waitStatus & 0x7f)
        let output = ((try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if exitCode != 0 && !allowFailure {
            throw StoreError(code: .embeddedServerFailed, message: "\(arguments.joined(separator: " ")) failed (exit \(exitCode)): \(output)")
        }
        return Result(status: exitCode, output: output)
    }
}
