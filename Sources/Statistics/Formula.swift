import Foundation

/// An R-style model formula: `y ~ x1 + x2 + C(rank) + x1:x2 + I(x^2)`, `- 1` (or `+ 0`) for no
/// intercept.
///
/// Supported, as in R: `a:b` (interaction), `a*b` (= `a + b + a:b`), `(a + b + c)^2` (every
/// interaction up to order 2), `log(x)`, `exp(x)`, `sqrt(x)`, `I(x^k)` (a power, k ≥ 1),
/// `I(x == "level")` (1 where the column has that value, else 0 — also as the response),
/// `C(g)` (categorical), and backticks for column names that are not plain words
/// (`` `time on task` ``). Anything else R accepts (`poly()`, `%in%`, `/`, `|`, `offset()`, `.`)
/// is refused by name as unsupported.
public struct Formula: Sendable, Equatable {
    /// One variable of a term, as the design uses it.
    public enum Factor: Sendable, Hashable {
        case numeric(String)
        case categorical(String)
        /// `I(x^k)`.
        case power(String, Int)
        /// `log(x)`, `exp(x)`, `sqrt(x)`.
        case transformed(Transform, String)
        /// `I(x == "v")`: 1 where column x has the value v, else 0.
        case indicator(String, String)

        /// The data column the factor reads.
        public var column: String {
            switch self {
            case .numeric(let c), .categorical(let c), .power(let c, _), .transformed(_, let c), .indicator(let c, _): return c
            }
        }
    }

    /// The elementwise functions a formula may apply to a numeric column.
    public enum Transform: String, Sendable, Hashable, CaseIterable {
        case log, exp, sqrt
    }

    /// The response as written (`y`, `log(y)`, `I(y == "yes")`).
    public let responseFactor: Factor
    /// Each term is a product of factors (one factor for a main effect, several for `a:b`).
    public let terms: [[Factor]]
    public let intercept: Bool

    /// The response's column name.
    public var response: String { responseFactor.column }

    /// Parses formula text.
    /// - Throws: ``NumericsError/Code/badFormula`` saying what is wrong or unsupported.
    public init(_ text: String) throws {
        var parser = try FormulaParser(text)
        (responseFactor, terms, intercept) = try parser.parse()
    }
}

extension Formula {
    /// Whether two terms have the same factors, in any order (`a:b` is `b:a`).
    static func sameTerm(_ a: [Factor], _ b: [Factor]) -> Bool {
        a.count == b.count && a.allSatisfy { f in b.contains(f) } && b.allSatisfy { f in a.contains(f) }
    }

    /// R's coding rule for categorical factor `index` of term `termIndex`: it is coded by contrasts
    /// (reference level dropped) when the term without that factor is in the model — the empty
    /// term counting as present with an intercept, and, without one, once an earlier term has been
    /// given full coding — and with every level otherwise. So `C(g) + C(g):x` gives one slope per
    /// group, `C(g) - 1` one mean per group, and `C(g) + x` a reference level.
    func codesWithContrasts(termIndex: Int, factorIndex: Int, emptyTermPresent: Bool) -> Bool {
        var margin = terms[termIndex]
        margin.remove(at: factorIndex)
        if margin.isEmpty { return emptyTermPresent }
        return terms.contains { Formula.sameTerm($0, margin) }
    }
}

extension Formula.Factor {
    /// The design column name the factor contributes (for a numeric factor).
    var label: String {
        switch self {
        case .numeric(let c), .categorical(let c): return c
        case .power(let c, let k): return "I(\(c)^\(k))"
        case .transformed(let f, let c): return "\(f.rawValue)(\(c))"
        case .indicator(let c, let v): return "I(\(c) == \"\(v)\")"
        }
    }
}
