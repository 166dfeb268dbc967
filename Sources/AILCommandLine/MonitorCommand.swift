import ArgumentParser
import Foundation
import Store
import Tracking
import Primitives

/// `ail monitor …`: the session monitor (the seed's `ai_session_monitor.py`).
struct Monitor: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitor",
        abstract: "Record an AI-assisted session as it happens: start, tool calls, code generations, feedback, end.",
        discussion: """
            The current session is remembered in the data folder (AIL_HOME, default ./.ail) between \
            invocations; --session ID overrides it. Every event gets an event id (a new UUID, or \
            --event-id): recording the same id twice stores it once. Developer names are stored as \
            keyed pseudonyms and free text is scanned for secrets before it is written.

            Example (the seed's, with its underscore names still accepted):
              ail monitor start-session --id dev_session_001 \\
                  --context '{"task": "database_design", "files": ["migrations/"]}'
              ail monitor log-tool-usage --tool grep --success true --time 150
              ail monitor log-code-generation --file new_migration.sql --type migration
              ail monitor end-session --feedback 5 --text "Excellent assistance"
            """,
        subcommands: [StartSession.self, LogToolUsage.self, LogCodeGeneration.self, DecideCode.self, LogInteraction.self,
                      LogContext.self, LogLearning.self, LogFeedback.self, EndSession.self, Status.self])
}

/// Options of the monitor commands that record no event (`decide-code`, `status`): no `--event-id`.
struct SessionOptions: ParsableArguments {
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: FormatOption
    @Option(parsing: .unconditional, help: "Session id (default: the current session).")
    var session: String?

    func monitor() throws -> SessionMonitor {
        try SessionMonitor(connection: try database.connect(), dataFolder: DataFolder.resolve())
    }
}

/// Options every monitor command that records an event shares.
struct MonitorOptions: ParsableArguments {
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: FormatOption
    @Option(parsing: .unconditional, help: "Session id (default: the current session).")
    var session: String?
    @Option(name: .customLong("event-id"), help: "Idempotency key of this event (UUID; default: a new one).")
    var eventID: String?

    func monitor() throws -> SessionMonitor {
        let connection = try database.connect()
        return try SessionMonitor(connection: connection, dataFolder: DataFolder.resolve())
    }

    func parsedEventID() throws -> UUID? {
        guard let eventID else { return nil }
        guard let id = UUID(uuidString: eventID) else {
            throw InputError("--event-id: invalid value (expected a UUID, got \"\(eventID)\")")
        }
        return id
    }

    /// Records `fields` (ingest names; values as given on the command line) and prints the receipt.
    @discardableResult
    func record(_ type: EventType, _ fields: [(String, JSONValue?)], options: [String: String]) throws -> SessionMonitor {
        let monitor = try self.monitor()
        let receipt = try record(type, fields, options: options, on: monitor, eventID: try parsedEventID())
        try printReceipt(receipt)
        return monitor
    }

    /// Records `fields` through `monitor` without printing; a rejection names the command-line options.
    func record(_ type: EventType, _ fields: [(String, JSONValue?)], options: [String: String],
                on monitor: SessionMonitor, eventID: UUID?) throws -> EventReceipt {
        let present = fields.compactMap { name, value in value.map { (name, $0) } }
        do {
            return try monitor.record(type, session: session, fields: present, eventID: eventID)
        } catch MonitorError.invalid(let rejection) {
            throw InputError(rejection.errors.map { error -> String in
                let base = error.field.split(separator: "[").first.map(String.init) ?? error.field
                guard let option = options[base] else { return error.description }
                return "\(option) (\(error.field)): " + error.description.dropFirst(error.field.count + 2)
            }.joined(separator: "; "))
        } catch let error as MonitorError {
            throw InputError(error.description)
        }
    }

    func printReceipt(_ receipt: EventReceipt) throws {
        if output.format == .json {
            try JSONOutput.print(receipt)
        } else {
            let what = receipt.stored ? "recorded" : "already recorded (same event id), nothing changed:"
            var line = "\(what) \(receipt.type) \(receipt.eventID.uuidString.lowercased()) in session \(receipt.sessionID)"
            if let g = receipt.generationID { line += " (generation \(g))" }
            print(line)
        }
    }
}


extension JSONValue {
    /// A command-line value passed through as text: the decoder parses numbers and booleans and names the field when it cannot.
    static func arg(_ text: String?) -> JSONValue? { text.map { .string($0) } }

    /// A comma-separated list as an array of strings.
    static func list(_ text: String?) -> JSONValue? {
        text.map { .array($0.split(separator: ",").map { .string($0.trimmingCharacters(in: .whitespaces)) }.filter { $0 != .string("") }) }
    }

    /// JSON given on the command line, parsed (an error names the option).
    static func json(_ text: String?, option: String) throws -> JSONValue? {
        guard let text else { return nil }
        do {
            return try JSONReader.parse(text)
        } catch {
            throw InputError("\(option): invalid JSON (\(error.description))")
        }
    }
}

extension Monitor {
    struct StartSession: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "start-session", abstract: "Start a session and make it current.",
                                                        aliases: ["start_session"])
        // Not MonitorOptions: start-session names its session with --id, so it has no --session.
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOption
        @Option(name: .customLong("event-id"), help: "Idempotency key of this event (UUID; default: a new one).")
        var eventID: String?
        @Option(parsing: .unconditional, help: "Session id, e.g. dev_session_001.") var id: String
        @Option(parsing: .unconditional, help: "Context as a JSON object, e.g. '{\"task\": \"database_design\"}'.") var context: String?
        @Option(parsing: .unconditional, help: "Developer name (stored only as a keyed pseudonym).") var developer: String?
        @Option(parsing: .unconditional, help: "Task type (default: the context's \"task\").") var task: String?
        @Option(parsing: .unconditional, help: "Comma-separated tags.") var tags: String?

        func run() throws {
            if let developer, developer.trimmingCharacters(in: .whitespaces).isEmpty {
                throw InputError("--developer: empty name (leave the option out when the developer is not known)")
            }
            let contextValue = try JSONValue.json(context, option: "--context")
            if let contextValue, case .object = contextValue {} else if contextValue != nil {
                throw InputError("--context: wrong type (expected a JSON object such as '{\"task\": \"database_design\"}')")
            }
            var taskType = task
            if taskType == nil, case .object(let members)? = contextValue,
               case .string(let t)? = members.first(where: { $0.key == "task" })?.value { taskType = t }
            var options = MonitorOptions()
            options.database = database
            options.output = output
            options.eventID = eventID
            options.session = id
            let monitor = try options.record(.sessionStart, [("developer", .arg(developer)), ("task_type", .arg(taskType)),
                                               ("context", contextValue), ("tags", .list(tags))],
                               options: ["developer": "--developer", "task_type": "--task", "context": "--context",
                                         "tags": "--tags", "session_id": "--id"])
            try monitor.makeCurrent(id)  // even when the start was already recorded
        }
    }

    struct LogToolUsage: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "log-tool-usage",
                                                        abstract: "Log one tool call (also recorded as a tool_call interaction).",
                                                        aliases: ["log_tool_usage"])
        @OptionGroup var common: MonitorOptions
        @Option(parsing: .unconditional, help: "Tool name, e.g. grep.") var tool: String
        @Option(parsing: .unconditional, help: "true or false.") var success: String
        @Option(parsing: .unconditional, help: "Execution time in milliseconds.") var time: String?
        @Option(parsing: .unconditional, help: "Error message (secrets are redacted).") var error: String?
        @Option(name: .customLong("error-type"), parsing: .unconditional, help: "Error class, e.g. timeout.") var errorType: String?
        @Option(parsing: .unconditional, help: "Call parameters as a JSON object.") var parameters: String?

        func run() throws {
            // SessionMonitor also records the tool_call interaction it was, in the same transaction.
            try common.record(
                .toolUsage, [("tool_name", .arg(tool)), ("success", .arg(success)), ("execution_time_ms", .arg(time)),
                             ("error_type", .arg(errorType)), ("error_message", .arg(error)),
                             ("parameters", try JSONValue.json(parameters, option: "--parameters"))],
                options: ["tool_name": "--tool", "success": "--success", "execution_time_ms": "--time",
                          "response_time_ms": "--time", "error_type": "--error-type", "error_message": "--error",
                          "parameters": "--parameters"])
        }
    }

    struct LogCodeGeneration: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "log-code-generation",
                                                        abstract: "Log generated code (also recorded as a code_generation interaction).",
                                                        aliases: ["log_code_generation"])
        @OptionGroup var common: MonitorOptions
        @Option(parsing: .unconditional, help: "File the code went to.") var file: String?
        @Option(parsing: .unconditional, help: "function, class, test, migration, config or other.") var type: String
        @Option(parsing: .unconditional, help: "Language, e.g. sql.") var language: String?
        @Option(parsing: .unconditional, help: "Lines generated.") var lines: String?
        @Option(parsing: .unconditional, help: "Complexity score.") var complexity: String?
        @Option(parsing: .unconditional, help: "Generation id (default: derived from the event id); pass it to decide-code.") var generation: String?
        @Option(parsing: .unconditional, help: "true or false if already decided.") var accepted: String?

        func run() throws {
            let eventID = try common.parsedEventID() ?? UUID()
            var options = common
            options.eventID = eventID.uuidString
            let generationID = generation ?? "gen-" + eventID.uuidString.lowercased().prefix(8)
            // SessionMonitor also records the code_generation interaction it was, in the same transaction.
            try options.record(
                .codeGeneration, [("generation_id", .string(generationID)), ("file_path", .arg(file)),
                                  ("generation_type", .arg(type)), ("language", .arg(language)),
                                  ("lines_generated", .arg(lines)), ("complexity", .arg(complexity)),
                                  ("accepted", .arg(accepted))],
                options: ["generation_id": "--generation", "file_path": "--file", "generation_type": "--type",
                          "language": "--language", "lines_generated": "--lines", "complexity": "--complexity",
                          "accepted": "--accepted"])
        }
    }

    struct DecideCode: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "decide-code",
                                                        abstract: "Record whether generated code was accepted.",
                                                        aliases: ["decide_code"])
        @OptionGroup var common: SessionOptions
        @Option(parsing: .unconditional, help: "Generation id printed by log-code-generation.") var generation: String
        @Option(parsing: .unconditional, help: "true or false.") var accepted: String
        @Option(name: .customLong("lines-modified"), parsing: .unconditional, help: "Lines changed after accepting.") var linesModified: Int?
        @Flag(help: "Replace an earlier, different decision (without it a second decision is refused).") var change = false

        func run() throws {
            guard let decision = Bool(accepted) else {
                throw InputError("--accepted (accepted): wrong type (expected boolean, got \"\(accepted)\")")
            }
            let monitor = try common.monitor()
            do {
                let count = try monitor.decideCode(generationID: generation, accepted: decision, linesModified: linesModified,
                                                   session: common.session, change: change)
                if common.output.format == .json {
                    try JSONOutput.print(DecisionReceipt(generationID: generation, accepted: decision, updated: count))
                } else if count == 0 {
                    print("already recorded: generation \(generation) \(decision ? "accepted" : "rejected"), nothing changed")
                } else {
                    print("recorded decision \(decision ? "accepted" : "rejected") for generation \(generation)")
                }
            } catch let error as MonitorError {
                throw InputError(error.description.replacingOccurrences(of: "lines_modified:", with: "--lines-modified (lines_modified):"))
            }
        }
    }

    struct LogInteraction: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "log-interaction", abstract: "Log one interaction.",
                                                        aliases: ["log_interaction"])
        @OptionGroup var common: MonitorOptions
        @Option(parsing: .unconditional, help: "user_query, tool_call, code_generation or validation.") var type: String
        @Option(parsing: .unconditional, help: "Model name.") var model: String?
        @Option(parsing: .unconditional, help: "true or false; leave out when not known (stored as NULL, never guessed).")
        var success: String?
        @Option(parsing: .unconditional, help: "Response time in milliseconds.") var time: String?
        @Option(name: .customLong("tokens-in"), parsing: .unconditional, help: "Prompt tokens.") var tokensIn: String?
        @Option(name: .customLong("tokens-out"), parsing: .unconditional, help: "Completion tokens.") var tokensOut: String?
        @Option(parsing: .unconditional, help: "Error message (secrets are redacted).") var error: String?
        @Option(name: .customLong("error-type"), parsing: .unconditional, help: "Error class.") var errorType: String?
        @Option(parsing: .unconditional, help: "Comma-separated context tags.") var tags: String?

        func run() throws {
            try common.record(.interaction, [("interaction_type", .arg(type)), ("model", .arg(model)), ("success", .arg(success)),
                                             ("response_time_ms", .arg(time)), ("tokens_in", .arg(tokensIn)),
                                             ("tokens_out", .arg(tokensOut)), ("error_type", .arg(errorType)),
                                             ("error_message", .arg(error)), ("context_tags", .list(tags))],
                              options: ["interaction_type": "--type", "model": "--model", "success": "--success",
                                        "response_time_ms": "--time", "tokens_in": "--tokens-in", "tokens_out": "--tokens-out",
                                        "error_type": "--error-type", "error_message": "--error", "context_tags": "--tags"])
        }
    }

    struct LogContext: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "log-context", abstract: "Log development context.",
                                                        aliases: ["log_context"])
        @OptionGroup var common: MonitorOptions
        @Option(parsing: .unconditional, help: "open_files, git_status, recent_changes, diagnostics or other.") var type: String
        @Option(parsing: .unconditional, help: "The context as JSON.") var data: String
        @Option(parsing: .unconditional, help: "Relevance, 0 to 1.") var relevance: String?

        func run() throws {
            try common.record(.context, [("context_type", .arg(type)), ("data", try JSONValue.json(data, option: "--data")),
                                         ("relevance_score", .arg(relevance))],
                              options: ["context_type": "--type", "data": "--data", "relevance_score": "--relevance"])
        }
    }

    struct LogLearning: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "log-learning", abstract: "Log something the assistant learned.",
                                                        aliases: ["log_learning"])
        @OptionGroup var common: MonitorOptions
        @Option(parsing: .unconditional, help: "Kind of learning, e.g. pattern.") var type: String
        @Option(parsing: .unconditional, help: "What was learned (secrets are redacted).") var description: String?
        @Option(parsing: .unconditional, help: "Confidence, 0 to 1.") var confidence: String
        @Flag(inversion: .prefixedNo, help: "The learning has been applied (also: --applied true|false).")
        var applied = false
        @Flag(name: .customLong("applied-successfully"), inversion: .prefixedNo,
              help: "Applying it worked, or not (--no-applied-successfully); leave out when not known. Implies --applied.")
        var appliedSuccessfully: Bool?

        func run() throws {
            try common.record(.learning, [("learning_type", .arg(type)), ("description", .arg(description)),
                                          ("confidence_score", .arg(confidence)),
                                          ("applied", .bool(applied || appliedSuccessfully != nil)),
                                          ("applied_successfully", appliedSuccessfully.map { .bool($0) })],
                              options: ["learning_type": "--type", "description": "--description", "confidence_score": "--confidence",
                                        "applied": "--applied", "applied_successfully": "--applied-successfully"])
        }
    }

    struct LogFeedback: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "log-feedback", abstract: "Log a 1-5 rating.",
                                                        aliases: ["log_feedback"])
        @OptionGroup var common: MonitorOptions
        @Option(parsing: .unconditional, help: "Stars, 1 to 5.") var rating: String
        @Option(parsing: .unconditional, help: "Free text (secrets are redacted).") var text: String?
        @Option(parsing: .unconditional, help: "Comma-separated context tags.") var tags: String?

        func run() throws {
            try common.record(.feedback, [("rating", .arg(rating)), ("text", .arg(text)), ("context_tags", .list(tags))],
                              options: ["rating": "--rating", "text": "--text", "context_tags": "--tags"])
        }
    }

    struct EndSession: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "end-session", abstract: "End the session, with a rating.",
                                                        aliases: ["end_session"])
        @OptionGroup var common: MonitorOptions
        @Option(parsing: .unconditional, help: "Stars, 1 to 5.") var feedback: String?
        @Option(parsing: .unconditional, help: "Closing feedback text (secrets are redacted).") var text: String?
        @Option(parsing: .unconditional, help: "Comma-separated tags.") var tags: String?

        func run() throws {
            let monitor = try common.record(.sessionEnd, [("rating", .arg(feedback)), ("text", .arg(text)), ("tags", .list(tags))],
                                            options: ["rating": "--feedback", "text": "--text", "tags": "--tags"])
            if let session = common.session ?? monitor.currentSession, monitor.currentSession == session {
                try monitor.makeCurrent(nil)
            }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "status", abstract: "Show the current (or given) session.")
        @OptionGroup var common: SessionOptions

        func run() throws {
            let monitor = try common.monitor()
            guard let sessionID = common.session ?? monitor.currentSession else {
                if common.output.format == .json { try JSONOutput.print(NoSession()) } else { print("no current session") }
                return
            }
            guard let status = try monitor.status(session: sessionID) else {
                throw InputError("--session: no session \"\(sessionID)\" in the database")
            }
            if common.output.format == .json {
                try JSONOutput.print(status)
            } else {
                print("session \(status.sessionID)\(status.endedAt == nil ? " (open)" : " (ended)")")
                print("  started \(TimestampText.format(secondsSince1970: status.startedAt.timeIntervalSince1970))"
                      + (status.endedAt.map { ", ended \(TimestampText.format(secondsSince1970: $0.timeIntervalSince1970))" } ?? ""))
                if let task = status.taskType { print("  task \(task)") }
                if let rating = status.endRating { print("  rating \(rating)") }
                for key in status.counts.keys.sorted() { print("  \(key): \(status.counts[key] ?? 0)") }
            }
        }
    }
}

/// `decide-code --format json`: what was recorded, with JSON types.
struct DecisionReceipt: Encodable {
    let generationID: String
    let accepted: Bool
    /// Rows updated (0 when the generation is unknown in the session).
    let updated: Int
    enum CodingKeys: String, CodingKey { case generationID = "generation_id", accepted, updated }
}

/// `monitor status --format json` with no current session.
struct NoSession: Encodable {
    enum CodingKeys: String, CodingKey { case currentSession = "current_session" }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeNil(forKey: .currentSession)
    }
}
