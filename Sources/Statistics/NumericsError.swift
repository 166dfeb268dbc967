/// An error from the Numerics module: a LAPACK failure, a design that cannot be fitted, or bad input.
///
/// A struct with a stable ``Code`` and a message a user can act on, so new codes never break callers.
public struct NumericsError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What went wrong, as a stable machine-readable code.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }
        /// A triangular or general matrix is exactly singular (LAPACK `info > 0` from a solve).
        public static let singular = Code("singular")
        /// A symmetric matrix is not positive definite (Cholesky failed).
        public static let notPositiveDefinite = Code("not positive definite")
        /// An argument had an illegal value (LAPACK `info < 0`) or dimensions do not match.
        public static let badArgument = Code("bad argument")
        /// The design matrix does not have full column rank; `terms` names the aliased columns.
        public static let rankDeficient = Code("rank deficient")
        /// A logistic model has complete or quasi-complete separation; `terms` names the offenders.
        public static let separation = Code("separation")
        /// An iterative fit did not converge within its iteration cap.
        public static let notConverged = Code("not converged")
        /// The data are unusable (empty, non-finite, too few observations, bad response values).
        public static let invalidData = Code("invalid data")
        /// A column, term or formula could not be understood.
        public static let badFormula = Code("bad formula")
        /// A column named by the caller (in a formula, as weights or clusters) is not in the data.
        public static let unknownColumn = Code("unknown column")
    }

    public let code: Code
    public let message: String
    /// Terms implicated (aliased columns, separated terms), if any.
    public let terms: [String]

    public init(_ code: Code, _ message: String, terms: [String] = []) {
        self.code = code
        self.message = message
        self.terms = terms
    }

    public var description: String { "\(code): \(message)" }

    static func lapack(_ routine: String, info: Int32, positiveMeaning: Code) -> NumericsError {
        if info < 0 {
            return NumericsError(.badArgument, "\(routine): argument \(-info) had an illegal value")
        }
        switch positiveMeaning {
        case .notPositiveDefinite:
            return NumericsError(.notPositiveDefinite,
                                 "\(routine): the leading minor of order \(info) is not positive definite")
        default:
            return NumericsError(.singular, "\(routine): diagonal element \(info) is exactly zero; the matrix is singular")
        }
    }
}
