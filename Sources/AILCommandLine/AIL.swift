import ArgumentParser
import Foundation
import Analytics
import Statistics
import Store
import Tracking

/// The `ail` root command. Each subcommand group lives in a file of its own.
public struct AIL: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "ail",
        abstract: "AI learning & analytics engine: record AI-assisted coding sessions in PostgreSQL and turn them into evidence.",
        discussion: """
            With no --dsn, DATABASE_URL or GEMATRIA_DSN, ail uses a private PostgreSQL server under \
            ./.ail (AIL_HOME), created and started on first use. Every command accepts --format json.

            Start here:
              ail db start          start the embedded database and apply migrations
              ail db status         where the database is and what it holds
              ail simulate --load   fill it with a simulated workload with planted effects
              ail fit logistic --data FILE.csv --formula "y ~ x1 + C(group)"

            Exit status (sysexits.h):
              0   success
              3   ail alerts --fail-on LEVEL: an alert at or above LEVEL is active
              64  usage error: an unknown or malformed option (the command's usage is shown)
              65  data error: a refused value, record, event id conflict, or rejected ingest lines
              69  the database cannot be reached or the embedded server cannot start
              70  internal error (a bug: please report it)
              72  the PostgreSQL server binaries are not installed
              74  a file cannot be read or written (the data folder, an input file)
              78  the pseudonym key in the data folder cannot be read or is malformed
            """,
        version: "ail \(EngineVersion.current)",
        subcommands: [DB.self, Migrate.self, Monitor.self, Ingest.self, Simulate.self, Fit.self, Mine.self, ForecastGroup.self, FairnessGroup.self, Detect.self, JobsCommand.self, SchedulerCommand.self, Learning.self, InsightsCommand.self,
                      Train.self, Models.self, Predict.self, RecommendTool.self,
                      AlertsCommand.self, DashboardCommand.self, TrendsCommand.self, ReportCommand.self, ExportLearningDataAlias.self]
    )
    public init() {}

    /// Parses the command line, runs the command and maps any failure to a message and exit code.
    public static func runMain(arguments: [String]? = nil) -> Never {
        let words = booleanFlagValues(joiningTripleDashValues(arguments ?? Array(CommandLine.arguments.dropFirst())))
        FailureReport.asJSON = FailureReport.wantsJSON(words)
        do {
            var command = try parseAsRoot(words)
            try command.run()
            Foundation.exit(0)
        } catch let error as StoreError {
            FailureReport.exit(error)
        } catch let error as InputError {
            FailureReport.exit(error)
        } catch let error as NumericsError {
            FailureReport.exit(error)
        } catch let error as AlertConfigError {
            FailureReport.exit(kind: "alerts_config", message: error.description, code: 65)   // EX_DATAERR
        } catch let error as ModelsError {
            FailureReport.exit(kind: "\(error.code)", message: error.message, code: error.code == .unknownModel || error.code == .unknownName ? 64 : 65)
        } catch let error as IngestError {
            FailureReport.exit(InputError(error.message))
        } catch let error as PseudonymKeyError {
            FailureReport.exit(kind: "pseudonym_key", message: error.description, code: 78)   // EX_CONFIG
        } catch let error as CocoaError {
            FailureReport.exit(kind: "file", message: FailureReport.fileMessage(error), code: 74)  // EX_IOERR
        } catch let error as POSIXError {
            FailureReport.exit(kind: "file", message: "\(error.code): \(error.localizedDescription)", code: 74)
        } catch {
            // --help and a bare exit status (ingest with rejects, its summary already printed) are
            // not failures to describe; everything else (usage errors) is, in JSON when asked
            let code = AIL.exitCode(for: error).rawValue
            // Not the argument parser's (which would exit 1): an error no command mapped is a bug.
            if code == 1, !(error is ExitCode) {
                FailureReport.exit(kind: "internal", message: "internal error: \(error)", code: 70)
            }
            if FailureReport.asJSON, code != 0, !(error is ExitCode) {
                FailureReport.emit(kind: code == 64 ? "usage" : "failure", message: AIL.message(for: error), exitCode: code)
                Foundation.exit(code)
            }
            AIL.exit(withError: error)
        }
    }
}

extension AIL {
    /// The argument parser refuses any word starting with three dashes, even as an option's value,
    /// so a PEM block passed as `--error "-----BEGIN …"` could not be logged (and redacted). Such a
    /// word right after a `--name` without `=` is joined to it as `--name=value`; anywhere else it
    /// is left for the parser to refuse.
    static func joiningTripleDashValues(_ arguments: [String]) -> [String] {
        var out: [String] = []
        for argument in arguments {
            if argument.hasPrefix("---"), let previous = out.last, previous.hasPrefix("--"), !previous.hasPrefix("---"),
               !previous.contains("="), previous.count > 2 {
                out[out.count - 1] = previous + "=" + argument
            } else {
                out.append(argument)
            }
        }
        return out
    }
}

extension AIL {
    /// Flags that also take an explicit `true`/`false` word after them, as the seed's users write
    /// them (`--applied true`, `--applied-successfully false`).
    static let booleanFlags: Set<String> = ["--applied", "--applied-successfully"]

    /// `--flag true` (or `--flag=true`) becomes `--flag` and `--flag false` (`--flag=false`)
    /// becomes `--no-flag`, for `booleanFlags`.
    static func booleanFlagValues(_ arguments: [String]) -> [String] {
        /// The flag word for `name` given `value`, or nil when either is not one of ours.
        func flag(_ name: Substring, _ value: Substring) -> String? {
            guard booleanFlags.contains(String(name)) else { return nil }
            switch value.lowercased() {
            case "true": return String(name)
            case "false": return "--no-" + name.dropFirst(2)
            default: return nil
            }
        }
        var out: [String] = []
        var i = 0
        while i < arguments.count {
            let word = arguments[i]
            if let eq = word.firstIndex(of: "="), let rewritten = flag(word[..<eq], word[word.index(after: eq)...]) {
                out.append(rewritten); i += 1
            } else if i + 1 < arguments.count, let rewritten = flag(word[...], arguments[i + 1][...]) {
                out.append(rewritten); i += 2
            } else {
                out.append(word); i += 1
            }
        }
        return out
    }
}

/// The one place a failure becomes output and an exit code (sysexits.h values). With
/// `--format json` the message goes to standard error as one JSON object,
/// `{"error": {"kind", "message", "exit_code", "sqlstate"?}}`, so programs need not parse text.
enum FailureReport {
    /// Set once by `runMain` from the command line, before anything can fail.
    nonisolated(unsafe) static var asJSON = false

    /// Whether the words ask for `--format json` (either spelling).
    static func wantsJSON(_ words: [String]) -> Bool {
        words.contains("--format=json") || zip(words, words.dropFirst()).contains { $0 == "--format" && $1 == "json" }
    }

    /// Prints a failure: `error: message` as text, or the JSON object described above.
    static func emit(kind: String, message: String, exitCode: Int32, sqlState: String? = nil) {
        guard asJSON else { return note("error: \(message)") }
        var fields: [String: Any] = ["kind": kind, "message": message, "exit_code": Int(exitCode)]
        if let sqlState { fields["sqlstate"] = sqlState }
        note((try? JSONOutput.text(["error": fields], pretty: false)) ?? "")
    }

    static func exit(_ error: StoreError) -> Never {
        let code: Int32
        switch error.code {
        case .connectionFailed, .embeddedServerFailed: code = 69          // EX_UNAVAILABLE
        case .serverNotInstalled: code = 72                               // EX_OSFILE
        case .migrationChecksumMismatch, .migrationFailed: code = 65      // EX_DATAERR
        case .invalidArgument: code = 64                                  // EX_USAGE
        default:
            // Data exceptions (22…) and integrity violations (23…) are refused data, not bugs.
            let state = error.sqlState ?? ""
            code = state.hasPrefix("22") || state.hasPrefix("23") ? 65 : 70  // EX_DATAERR : EX_SOFTWARE
        }
        emit(kind: "\(error.code)", message: "\(error)", exitCode: code, sqlState: error.sqlState)
        Foundation.exit(code)
    }

    static func exit(kind: String, message: String, code: Int32) -> Never {
        emit(kind: kind, message: message, exitCode: code)
        Foundation.exit(code)
    }

    /// A file-system error without Foundation's error numbers: the path and what went wrong.
    static func fileMessage(_ error: CocoaError) -> String {
        let path = error.filePath ?? error.url?.path
        let underlying = (error.userInfo[NSUnderlyingErrorKey] as? NSError).map { String(cString: strerror(Int32($0.code))) }
        let what = underlying ?? error.localizedDescription
        return path.map { "\($0): \(what)" } ?? what
    }

    /// A model or data failure keeps its kind (`separation`, `rank deficient`, `bad formula`,
    /// `unknown column`, `invalid data`, …) in JSON; a formula or column name the user must fix
    /// is a usage error (64), anything about the data or the fit a data error (65).
    static func exitCode(for error: NumericsError) -> Int32 {
        error.code == .badFormula || error.code == .unknownColumn || error.code == .badArgument ? 64 : 65
    }

    static func exit(_ error: NumericsError) -> Never {
        let code = exitCode(for: error)
        emit(kind: "\(error.code)", message: "\(error)", exitCode: code)
        Foundation.exit(code)
    }

    static func exit(_ error: InputError) -> Never {
        emit(kind: "input", message: error.description, exitCode: 65)
        Foundation.exit(65)                                               // EX_DATAERR
    }
}

/// A failure caused by the command's input or data (a bad value, a file that cannot be used, a
/// model that cannot be fitted to it): printed as `error: …`, exit status 65.
struct InputError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}
