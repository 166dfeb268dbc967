/// A coefficient penalty as a user writes it: `L2=0.5` adds λ·‖β‖² to the loss (the intercept
/// is not penalised).
public struct Penalty: Sendable, Equatable {
    /// λ of the ridge (L2) penalty, finite and ≥ 0.
    public let l2: Double

    /// Parses `L2=λ` (`l2` in any case).
    /// - Throws: ``NumericsError/Code/badArgument`` saying what the text should look like.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "=", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].uppercased() == "L2", let v = DecimalParser.double(String(parts[1])), v >= 0, v.isFinite else {
            throw NumericsError(.badArgument, "a penalty looks like L2=0.5 (a finite λ ≥ 0); got '\(text)'")
        }
        l2 = v
    }
}
