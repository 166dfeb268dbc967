/// A failure of the prediction layer that a user can act on (an unknown model or version, a
/// model that cannot be trained on the data, a bad input to score).
public struct ModelsError: Error, CustomStringConvertible, Sendable {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String
        public var description: String { name }
        /// No model or version of that name.
        public static let unknownModel = Code(name: "unknown model")
        /// Too little data, or nothing left to fit after dropping degenerate columns.
        public static let cannotTrain = Code(name: "cannot train")
        /// A scoring input that is missing a value or has the wrong type.
        public static let badInput = Code(name: "bad input")
        /// A name the model never saw, given as input: a task type absent from the training
        /// data, a `--context` key that is no feature. A usage error (exit 64), not bad data.
        public static let unknownName = Code(name: "unknown name")
        /// A model file that cannot be read as an artifact.
        public static let badArtifact = Code(name: "bad artifact")
    }
    public let code: Code
    public let message: String
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
    public var description: String { message }
}
