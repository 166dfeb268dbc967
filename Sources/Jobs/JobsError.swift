/// A refused job definition or a failed jobs operation, with a message a user can act on.
///
/// Match on ``code``; the message names the field and the reason
/// (`schedule: day-of-month 32 is out of range (1-31)`).
public struct JobsError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The kind of failure, stable for callers to match on.
    public enum Code: String, Sendable, Equatable {
        /// A field of the definition is invalid (the schedule, the zone, the name, the command, a bound).
        case invalidDefinition
        /// No job has that name.
        case notFound
        /// A different job with that name exists (use replace).
        case alreadyExists
        /// Another runner holds the job's lock: it is running now.
        case busy
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
