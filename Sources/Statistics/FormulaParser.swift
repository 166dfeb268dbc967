import Foundation

/// The recursive-descent parser behind ``Formula/init(_:)``.
///
/// Grammar (right-hand side): `sum := signed ((+|-) signed)*`, `product := interaction (* interaction)*`,
/// `interaction := power (: power)*`, `power := atom (^ integer)?`, `atom := ( sum ) | 1 | 0 |
/// name | C(name) | I(name ^ k) | I(name == value) | log|exp|sqrt(name)`. A term set is a list
/// of terms; `:` forms every union of a term from each side, `*` is `A + B + A:B`, `^k` is `*`
/// applied k − 1 times, duplicates collapse (in any factor order), as in R.
struct FormulaParser {
    private enum Token: Equatable {
        case name(String)       // a bare word or a backticked name
        case number(String)
        case string(String)
        case symbol(String)     // ~ + - * : ^ ( ) ==  and any other punctuation
    }

    private let text: String
    private var tokens: [Token] = []
    private var position = 0

    init(_ text: String) throws {
        self.text = text
        tokens = try Self.tokenize(text)
    }

    private static func isWordCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" || c == "." }

    private static func tokenize(_ text: String) throws -> [Token] {
        var tokens: [Token] = []
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace { i += 1; continue }
            if c == "`" || c == "\"" || c == "'" {
                var j = i + 1
                var value = ""
                while j < chars.count, chars[j] != c { value.append(chars[j]); j += 1 }
                guard j < chars.count else {
                    throw NumericsError(.badFormula, "'\(text)': the \(c == "`" ? "backtick" : "quote") opened at character \(i + 1) is never closed")
                }
                if c == "`" {
                    guard !value.isEmpty else { throw NumericsError(.badFormula, "'\(text)': empty backticks name no column") }
                    tokens.append(.name(value))
                } else {
                    tokens.append(.string(value))
                }
                i = j + 1
            } else if isWordCharacter(c) {
                var j = i
                var word = ""
                while j < chars.count, isWordCharacter(chars[j]) { word.append(chars[j]); j += 1 }
                tokens.append(word.allSatisfy(\.isNumber) ? .number(word) : .name(word))
                i = j
            } else if c == "=", i + 1 < chars.count, chars[i + 1] == "=" {
                tokens.append(.symbol("==")); i += 2
            } else if c == "%" {
                var j = i + 1
                while j < chars.count, chars[j] != "%" { j += 1 }
                tokens.append(.symbol(String(chars[i...min(j, chars.count - 1)]))); i = j + 1
            } else {
                tokens.append(.symbol(String(c))); i += 1
            }
        }
        return tokens
    }

    /// R operators ail does not implement (nesting, conditioning).
    private static let unsupportedOperators: Set<String> = ["/", "|"]

    private var peek: Token? { position < tokens.count ? tokens[position] : nil }
    private mutating func next() -> Token? { defer { position += 1 }; return peek }
    private mutating func accept(_ symbol: String) -> Bool {
        if peek == .symbol(symbol) { position += 1; return true }
        return false
    }

    private func unsupported(_ what: String) -> NumericsError {
        NumericsError(.badFormula, "\(what) is not supported in ail formulas; they support +, - 1, :, *, (…)^k, C(g), I(x^k), I(x == \"v\"), log(x), exp(x), sqrt(x) and `backticked names`")
    }

    private func describe(_ t: Token?) -> String {
        switch t {
        case .name(let s), .number(let s), .symbol(let s): return "'\(s)'"
        case .string(let s): return "\"\(s)\""
        case nil: return "the end"
        }
    }

    mutating func parse() throws -> (Formula.Factor, [[Formula.Factor]], Bool) {
        guard let tilde = tokens.firstIndex(of: .symbol("~")), !tokens[(tilde + 1)...].contains(.symbol("~")) else {
            throw NumericsError(.badFormula, "a formula looks like 'y ~ x1 + x2'; got '\(text)'")
        }
        guard tilde > 0 else { throw NumericsError(.badFormula, "the formula has no response before '~'") }
        guard tilde + 1 < tokens.count else {
            throw NumericsError(.badFormula, "the formula has no terms after '~' (use 'y ~ 1' for the mean alone)")
        }
        let response = try parseFactor()
        guard position == tilde else {
            throw NumericsError(.badFormula, "the response must be one column, log(y), I(y == \"v\") …; got '\(text.split(separator: "~")[0].trimmingCharacters(in: .whitespaces))'")
        }
        position = tilde + 1
        // the top-level sum, where signs and the intercept live
        var intercept = true
        var terms: [[Formula.Factor]] = []
        var first = true
        while position < tokens.count {
            var plus = true, signs = 0
            while let t = peek, t == .symbol("+") || t == .symbol("-") {
                if t == .symbol("-") { plus.toggle() }
                position += 1; signs += 1
            }
            if case .symbol(let s)? = peek, Self.unsupportedOperators.contains(s) || s.hasPrefix("%") { throw unsupported("'\(s)'") }
            guard first || signs > 0 else { throw NumericsError(.badFormula, "'\(text)': expected '+' or '-' before \(describe(peek))") }
            guard peek != nil else {
                throw NumericsError(.badFormula, "'\(text)' has an empty term (a '+' or '-' with nothing after it)")
            }
            first = false
            if case .number(let n)? = peek, n == "1" || n == "0", isTermEnd(position + 1) {
                position += 1
                intercept = (n == "1") == plus
                continue
            }
            let start = position
            let set = try parseProduct()
            guard plus else {
                let written = tokens[start..<position].map { t -> String in
                    switch t { case .name(let s), .number(let s), .symbol(let s): return s; case .string(let s): return "\"\(s)\"" }
                }.joined()
                throw NumericsError(.badFormula, "'- \(written)': only the intercept can be removed ('- 1'); leave the term out instead")
            }
            Self.add(set, to: &terms)
        }
        return (response, terms, intercept)
    }

    private func isTermEnd(_ i: Int) -> Bool {
        i >= tokens.count || tokens[i] == .symbol("+") || tokens[i] == .symbol("-")
    }

    private static func add(_ set: [[Formula.Factor]], to terms: inout [[Formula.Factor]]) {
        for t in set where !terms.contains(where: { Formula.sameTerm($0, t) }) { terms.append(t) }
    }

    private static func interact(_ a: [[Formula.Factor]], _ b: [[Formula.Factor]]) -> [[Formula.Factor]] {
        var out: [[Formula.Factor]] = []
        for x in a { for y in b {
            var merged = x
            for f in y where !merged.contains(f) { merged.append(f) }
            add([merged], to: &out)
        } }
        return out
    }

    private static func cross(_ a: [[Formula.Factor]], _ b: [[Formula.Factor]]) -> [[Formula.Factor]] {
        var out = a
        add(b, to: &out)
        add(interact(a, b), to: &out)
        return out
    }

    private mutating func parseProduct() throws -> [[Formula.Factor]] {
        var set = try parseInteraction()
        while accept("*") { set = Self.cross(set, try parseInteraction()) }
        return set
    }

    private mutating func parseInteraction() throws -> [[Formula.Factor]] {
        var set = try parsePower()
        while accept(":") { set = Self.interact(set, try parsePower()) }
        return set
    }

    private mutating func parsePower() throws -> [[Formula.Factor]] {
        let set = try parseAtom()
        guard accept("^") else { return set }
        guard case .number(let n)? = next(), let k = Int(n), k >= 1 else {
            throw NumericsError(.badFormula, "'\(text)': '^' takes a whole number of at least 1, as in (a + b)^2")
        }
        var out = set
        for _ in 1..<k { out = Self.cross(out, set) }
        return out
    }

    private mutating func parseAtom() throws -> [[Formula.Factor]] {
        if accept("(") {
            var set: [[Formula.Factor]] = []
            repeat {
                if case .number(let n)? = peek, n == "1" || n == "0" {
                    throw NumericsError(.badFormula, "'\(text)': the intercept ('1' or '0') goes outside parentheses")
                }
                Self.add(try parseProduct(), to: &set)
            } while accept("+")
            if peek == .symbol("-") { throw unsupported("'-' inside parentheses") }
            if case .symbol(let s)? = peek, Self.unsupportedOperators.contains(s) || s.hasPrefix("%") { throw unsupported("'\(s)'") }
            guard accept(")") else { throw NumericsError(.badFormula, "'\(text)': expected ')' but found \(describe(peek))") }
            return set
        }
        return [[try parseFactor()]]
    }

    private mutating func parseFactor() throws -> Formula.Factor {
        switch next() {
        case .name(let word)?:
            guard accept("(") else {
                if word == "." { throw unsupported("'.' (all other columns)") }
                return .numeric(word)
            }
            let factor: Formula.Factor
            switch word {
            case "C":
                factor = .categorical(try columnName(in: word))
            case "I":
                let column = try columnName(in: word)
                if accept("^") {
                    guard case .number(let n)? = next(), let k = Int(n), k >= 1 else {
                        throw NumericsError(.badFormula, "bad power in 'I(\(column)^…)': the power is a whole number of at least 1")
                    }
                    factor = .power(column, k)
                } else if accept("==") {
                    switch next() {
                    case .string(let v)?, .number(let v)?, .name(let v)?: factor = .indicator(column, v)
                    default: throw NumericsError(.badFormula, "'I(\(column) == …)' needs a value, as in I(\(column) == \"yes\")")
                    }
                } else {
                    throw unsupported("'I(\(column) \(describe(peek).trimmingCharacters(in: ["'"])) …)'")
                }
            default:
                guard let transform = Formula.Transform(rawValue: word) else {
                    throw unsupported("the function '\(word)()'")
                }
                factor = .transformed(transform, try columnName(in: word))
            }
            guard accept(")") else { throw NumericsError(.badFormula, "'\(text)': expected ')' after \(word)(… but found \(describe(peek))") }
            return factor
        case .number(let n)?:
            throw NumericsError(.badFormula, "'\(text)': the number \(n) cannot be a term (only 1 or 0, for the intercept)")
        case .symbol(let s)? where s.hasPrefix("%") || s == "/" || s == "|":
            throw unsupported("'\(s)'")
        case let t:
            throw NumericsError(.badFormula, "'\(text)': expected a column name but found \(describe(t))")
        }
    }

    private mutating func columnName(in function: String) throws -> String {
        guard case .name(let c)? = next() else {
            throw NumericsError(.badFormula, "'\(text)': \(function)(…) takes a column name")
        }
        return c
    }
}
