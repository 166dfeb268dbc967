import ArgumentParser
import Foundation
import Numerics
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
            """,
        subcommands: [DB.self, Migrate.self, Monitor.self, Ingest.self, Simulate.self, Fit.self]
    )
    public init() {}

    /// Parses the command line, runs the command and maps any failure to a message and exit code.
    public static func runMain(arguments: [String]? = nil) -> Never {
        do {
            var command = try parseAsRoot(joiningTripleDashValues(arguments ?? Array(CommandLine.arguments.dropFirst())))
            try command.run()
            Foundation.exit(0)
        } catch let error as StoreError {
            FailureReport.exit(error)
        } catch let error as InputError {
            FailureReport.exit(error)
        } catch let error as NumericsError {
            FailureReport.exit(InputError("\(error)"))
        } catch let error as IngestError {
            FailureReport.exit(InputError(error.message))
        } catch {
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

/// The one place a Store failure becomes output and an exit code (sysexits.h values).
enum FailureReport {
    static func exit(_ error: StoreError) -> Never {
        note("error: \(error)")
        let code: Int32
        switch error.code {
        case .connectionFailed, .embeddedServerFailed: code = 69          // EX_UNAVAILABLE
        case .serverNotInstalled: code = 72                               // EX_OSFILE
        case .migrationChecksumMismatch, .migrationFailed: code = 65      // EX_DATAERR
        case .invalidArgument: code = 64                                  // EX_USAGE
        default: code = 70                                                // EX_SOFTWARE
        }
        Foundation.exit(code)
    }

    static func exit(_ error: InputError) -> Never {
        note("error: \(error)")
        Foundation.exit(65)                                               // EX_DATAERR
    }
}

/// A failure caused by the command's input or data (a bad value, a file that cannot be used, a
/// model that cannot be fitted to it): printed as `error: …`, exit status 65.
struct InputError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}
