import Foundation

/// A table of named string columns, as read from CSV (RFC 4180: quotes, doubled quotes, CRLF).
public struct DataTable: Sendable {
    public let columns: [String]
    public let rows: [[String]]

    /// Parses CSV text with a header row. Works on the UTF-8 bytes (every delimiter is ASCII, so no
    /// multi-byte character can be split): a million-row file parses in about a second.
    public init(csv text: String) throws {
        var text = text
        let parsed = try text.withUTF8 { try Self.parse($0) }
        guard let header = parsed.records.first else { throw NumericsError(.invalidData, "CSV: the file is empty") }
        for (i, r) in parsed.records.enumerated().dropFirst() where r.count != header.count {
            throw NumericsError(.invalidData, "CSV: line \(parsed.lines[i]) has \(r.count) fields, the header has \(header.count)")
        }
        let names = header.map { $0.trimmingCharacters(in: .whitespaces) }
        var seen: Set<String> = []
        for name in names where !seen.insert(name).inserted {
            throw NumericsError(.invalidData, "CSV: the header names column '\(name)' twice; a formula could not tell them apart")
        }
        self.columns = names
        self.rows = Array(parsed.records.dropFirst())
    }

    /// RFC 4180 records and the physical line each starts on.
    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws -> (records: [[String]], lines: [Int]) {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        var records: [[String]] = []
        var recordLines: [Int] = []          // physical line on which each record starts
        var record: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var line = 1, recordLine = 1, quoteLine = 1
        var i = 0
        let n = bytes.count
        func endField() { record.append(String(decoding: field, as: UTF8.self)); field.removeAll(keepingCapacity: true) }
        while i < n {
            let c = bytes[i]
            i += 1
            if inQuotes {
                if c == quote {
                    if i < n && bytes[i] == quote { field.append(quote); i += 1 } else { inQuotes = false }
                } else {
                    if c == lf || (c == cr && !(i < n && bytes[i] == lf)) { line += 1 }
                    field.append(c)
                }
            } else if c == quote {
                inQuotes = true; quoteLine = line
            } else if c == comma {
                endField()
            } else if c == lf || c == cr {
                if c == cr, i < n, bytes[i] == lf { i += 1 }
                endField()
                if !(record.count == 1 && record[0].isEmpty) { records.append(record); recordLines.append(recordLine) }
                record = []
                line += 1
                recordLine = line
            } else {
                field.append(c)
            }
        }
        if inQuotes { throw NumericsError(.invalidData, "CSV: the quoted field opened on line \(quoteLine) is never closed") }
        if !field.isEmpty || !record.isEmpty { endField(); records.append(record); recordLines.append(recordLine) }
        return (records, recordLines)
    }

    /// The cell at `row` (0-based, header excluded) and `column`, without surrounding spaces.
    public func value(row: Int, column: Int) -> String { rows[row][column].trimmedSpaces }

    public func index(of name: String) throws -> Int {
        guard let i = columns.firstIndex(of: name) else {
            throw NumericsError(.badFormula, "unknown column '\(name)'; the columns are: \(columns.joined(separator: ", "))")
        }
        return i
    }
}

/// An R-style model formula: `y ~ x1 + x2 + C(rank) + x1:x2 + I(x^2)`, `- 1` (or `+ 0`) for no intercept.
public struct Formula: Sendable, Equatable {
    public enum Factor: Sendable, Equatable { case numeric(String), categorical(String), power(String, Int) }
    public let response: String
    /// Each term is a product of factors (one factor for a main effect, several for `a:b`).
    public let terms: [[Factor]]
    public let intercept: Bool

    public init(_ text: String) throws {
        let parts = text.split(separator: "~", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw NumericsError(.badFormula, "a formula looks like 'y ~ x1 + x2'; got '\(text)'") }
        response = parts[0].trimmingCharacters(in: .whitespaces)
        guard !response.isEmpty else { throw NumericsError(.badFormula, "the formula has no response before '~'") }
        let rhs = parts[1].replacingOccurrences(of: " ", with: "")
        guard !rhs.isEmpty else { throw NumericsError(.badFormula, "the formula has no terms after '~' (use 'y ~ 1' for the mean alone)") }
        // split on + and - outside parentheses, keeping each term's sign
        var signed: [(plus: Bool, text: String)] = []
        var depth = 0, current = "", plus = true, atStart = true, afterSign = false
        for c in rhs {
            if c == "(" { depth += 1 } else if c == ")" { depth -= 1 }
            if depth == 0 && (c == "+" || c == "-") {
                if afterSign {
                    plus = plus == (c == "+")                        // `+ -1` is `- 1`, `- -x` is `+ x`
                } else {
                    if !atStart { signed.append((plus, current)) }   // a leading sign starts the first term
                    current = ""; plus = c == "+"
                }
                afterSign = true
            } else {
                current.append(c)
                afterSign = false
            }
            atStart = false
        }
        signed.append((plus, current))
        var intercept = true
        var terms: [[Factor]] = []
        for (plus, t) in signed {
            guard !t.isEmpty else { throw NumericsError(.badFormula, "'\(text)' has an empty term (a '+' or '-' with nothing after it)") }
            if t == "1" || t == "0" {
                intercept = (t == "1") == plus
                continue
            }
            guard plus else {
                throw NumericsError(.badFormula, "'- \(t)': only the intercept can be removed ('- 1'); leave the term out instead")
            }
            let factors: [Factor] = try t.split(separator: ":", omittingEmptySubsequences: false).map { f in
                let s = String(f)
                if s.hasPrefix("C("), s.hasSuffix(")") { return .categorical(String(s.dropFirst(2).dropLast())) }
                if s.hasPrefix("I("), s.hasSuffix(")"), let caret = s.firstIndex(of: "^") {
                    let name = String(s[s.index(s.startIndex, offsetBy: 2)..<caret])
                    guard let k = Int(s[s.index(after: caret)..<s.index(before: s.endIndex)]), k >= 1 else {
                        throw NumericsError(.badFormula, "bad power in '\(s)'")
                    }
                    return .power(name, k)
                }
                guard !s.isEmpty, s.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }) else {
                    throw NumericsError(.badFormula, "cannot read term '\(s)'")
                }
                return .numeric(s)
            }
            // a term given twice (in any factor order) is one term, as in R
            if !terms.contains(where: { Formula.sameTerm($0, factors) }) { terms.append(factors) }
        }
        self.terms = terms
        self.intercept = intercept
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

/// A design matrix built from a table and a formula, with what was done to the data.
public struct ModelFrame: Sendable {
    public let x: Matrix
    public let y: [Double]
    public let termNames: [String]
    public let intercept: Bool
    /// Rows dropped for a missing (empty, NA, NaN) value in a used column.
    public let droppedRows: Int
    /// Kept row indices into the table.
    public let rowIndices: [Int]
    /// Categorical levels pooled into `other` because they had fewer than `minLevelCount` rows.
    public let pooledLevels: [String: [String]]
    /// The name of each column's pooled level: `other`, or `other_pooled` when the data have a
    /// level called `other` of their own.
    public let pooledLevelNames: [String: String]
    /// With `standardize`, the centring and scaling applied to each numeric design column (in
    /// column order; dummy-coded columns are not listed): column = (raw − mean) / standardDeviation.
    /// A slope on the standardised column equals the raw-scale slope times `standardDeviation`.
    public let standardization: [ColumnScaling]

    /// How one design column was standardised.
    public struct ColumnScaling: Sendable, Equatable {
        public let term: String
        public let mean: Double
        /// Sample standard deviation (divisor n − 1) of the raw column over the kept rows.
        public let standardDeviation: Double
    }

    /// Builds the design. Missing values: rows with any missing used value are dropped (counted in
    /// `droppedRows`). Booleans (`true/false`) become 0/1; a non-numeric column named as numeric
    /// is an error. Categorical columns are one-hot coded against their first level (sorted), with
    /// levels rarer than `minLevelCount` pooled into `other` (reported).
    ///
    /// With `standardize`, every column built only from numeric variables (main effects, powers,
    /// numeric interactions — formed from the raw values, then standardised) is centred and divided
    /// by its sample standard deviation; 0/1 dummy columns and the response are left as they are.
    /// A constant numeric column cannot be standardised and is an error.
    public init(table: DataTable, formula: Formula, extraColumns: [String] = [], minLevelCount: Int = 1,
                standardize: Bool = false) throws {
        let missing: Set<String> = ["", "na", "nan", "null"]   // compared in lower case
        var used = [formula.response] + extraColumns
        for t in formula.terms { for f in t {
            switch f { case .numeric(let c), .categorical(let c), .power(let c, _): used.append(c) }
        } }
        let idx = try Dictionary(used.map { ($0, try table.index(of: $0)) }, uniquingKeysWith: { a, _ in a })
        var keep: [Int] = []
        let usedIndices = used.map { idx[$0] ?? 0 }
        func isMissing(_ cell: String) -> Bool {
            let t = cell.trimmedSpaces
            return t.utf8.count <= 4 && missing.contains(t.lowercased())
        }
        for (r, row) in table.rows.enumerated() where !usedIndices.contains(where: { isMissing(row[$0]) }) {
            keep.append(r)
        }
        guard !keep.isEmpty else {
            let empty = Array(Set(used)).sorted().filter { c in table.rows.allSatisfy { isMissing($0[idx[c] ?? 0]) } }
            throw NumericsError(.invalidData, table.rows.isEmpty ? "the CSV has a header but no data rows"
                : "no complete rows remain after dropping missing values"
                  + (empty.isEmpty ? " (every row misses a value in some column the formula uses)"
                                   : "; missing on every row: \(empty.joined(separator: ", "))"))
        }
        func numeric(_ c: String) throws -> [Double] {
            let j = idx[c] ?? 0
            return try keep.map { r in
                let s = table.rows[r][j].trimmedSpaces
                if let v = decimalNumber(s) {
                    guard v.isFinite else {
                        throw NumericsError(.invalidData, "column '\(c)' row \(r + 2): '\(s)' is not a finite number")
                    }
                    return v
                }
                switch s.lowercased() { case "true", "yes": return 1; case "false", "no": return 0; default: break }
                throw NumericsError(.invalidData, "column '\(c)' row \(r + 2): '\(s)' is not a number; use C(\(c)) for a categorical column")
            }
        }
        var pooled: [String: [String]] = [:], pooledNames: [String: String] = [:]
        func categorical(_ c: String, allLevels: Bool) throws -> (names: [String], columns: [[Double]]) {
            let j = idx[c] ?? 0
            var values = keep.map { table.rows[$0][j].trimmedSpaces }
            var counts: [String: Int] = [:]
            for v in values { counts[v, default: 0] += 1 }
            let rare = Set(counts.filter { $0.value < minLevelCount }.map(\.key))
            if !rare.isEmpty {
                // the pooled level is "other" unless the data have a level of that name already
                var name = "other"
                while counts[name] != nil && !rare.contains(name) { name += "_pooled" }
                pooled[c] = rare.sorted()
                pooledNames[c] = name
                values = values.map { rare.contains($0) ? name : $0 }
            }
            let levels = Array(Set(values)).sorted(by: levelOrder)
            guard levels.count >= 2 else {
                throw NumericsError(.invalidData, "C(\(c)) has a single level ('\(levels.first ?? "")') on the \(keep.count) rows used: its effect cannot be estimated; leave it out")
            }
            let nonRef = allLevels ? levels[...] : levels.dropFirst()
            return (nonRef.map { "\(c)\($0)" }, nonRef.map { l in values.map { $0 == l ? 1 : 0 } })
        }
        var names: [String] = []
        var cols: [[Double]] = []
        var scalings: [ColumnScaling] = []
        // Categorical factors are coded by R's rule (see Formula.codesWithContrasts).
        var emptyTermPresent = formula.intercept
        for (termIndex, t) in formula.terms.enumerated() {
            var partNames: [String] = [""]
            var partCols: [[Double]] = [[Double](repeating: 1, count: keep.count)]
            var fullyCoded = false
            for (factorIndex, f) in t.enumerated() {
                let (fn, fc): ([String], [[Double]])
                switch f {
                case .numeric(let c): (fn, fc) = ([c], [try numeric(c)])
                case .power(let c, let k): (fn, fc) = (["I(\(c)^\(k))"], [try numeric(c).map { pow($0, Double(k)) }])
                case .categorical(let c):
                    let contrasts = formula.codesWithContrasts(termIndex: termIndex, factorIndex: factorIndex,
                                                               emptyTermPresent: emptyTermPresent)
                    if !contrasts && t.count == 1 { fullyCoded = true }
                    (fn, fc) = try categorical(c, allLevels: !contrasts)
                }
                var nn: [String] = [], nc: [[Double]] = []
                for (a, ac) in zip(partNames, partCols) { for (b, bc) in zip(fn, fc) {
                    nn.append(a.isEmpty ? b : "\(a):\(b)")
                    nc.append(zip(ac, bc).map { $0 * $1 })
                } }
                partNames = nn; partCols = nc
            }
            let numericOnly = !t.contains { if case .categorical = $0 { return true } else { return false } }
            if standardize && numericOnly {
                for (c, name) in zip(partCols.indices, partNames) {
                    let v = partCols[c], m = Double(v.count)
                    // without an intercept centring would change the model: scale only
                    let mean = formula.intercept ? v.reduce(0, +) / m : 0
                    let ss = v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
                    let sd = v.count > 1 ? (ss / (m - 1)).squareRoot() : 0
                    guard sd > 0, sd.isFinite else {
                        throw NumericsError(.invalidData, "cannot standardise '\(name)': it is constant over the \(v.count) rows used")
                    }
                    partCols[c] = v.map { ($0 - mean) / sd }
                    scalings.append(ColumnScaling(term: name, mean: mean, standardDeviation: sd))
                }
            }
            names += partNames; cols += partCols
            // without an intercept a fully coded main effect spans it: later factors use contrasts
            if fullyCoded { emptyTermPresent = true }
        }
        self.y = try numeric(formula.response)
        // an intercept-only model (`y ~ 1`) has a design with no columns but every kept row
        self.x = cols.isEmpty ? Matrix(rows: keep.count, columns: 0) : try Matrix(columns: cols)
        self.termNames = names
        self.intercept = formula.intercept
        self.droppedRows = table.rows.count - keep.count
        self.rowIndices = keep
        self.pooledLevels = pooled
        self.pooledLevelNames = pooledNames
        self.standardization = scalings
    }
}

/// The order of categorical levels (the first is the reference): numbers in numeric order, then
/// everything else in code-point order. A strict weak order even when a column mixes numbers and
/// words, so the reference level never depends on the order rows arrive in.
func levelOrder(_ a: String, _ b: String) -> Bool {
    func number(_ s: String) -> Double? { decimalNumber(s).flatMap { $0.isNaN ? nil : $0 } }
    switch (number(a), number(b)) {
    case let (x?, y?): return x != y ? x < y : a < b
    case (.some, .none): return true
    case (.none, .some): return false
    case (.none, .none): return a < b
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs; returns `self` without any work
    /// in the common case of a cell with none (Foundation's trimming costs ~1 µs a call).
    var trimmedSpaces: String {
        let u = utf8
        guard let first = u.first, let last = u.last else { return self }
        let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")
        guard first == space || first == tab || last == space || last == tab else { return self }
        return trimmingCharacters(in: .whitespaces)
    }
}

/// A decimal number as written in data (`12`, `-0.5`, `1e-3`, `inf`); nil for anything else,
/// including the hexadecimal forms (`0x10`) that `Double.init` also accepts.
func decimalNumber(_ s: String) -> Double? {
    guard !s.utf8.contains(where: { $0 == UInt8(ascii: "x") || $0 == UInt8(ascii: "X") || $0 == UInt8(ascii: "p") || $0 == UInt8(ascii: "P") }) else {
        return nil
    }
    return Double(s)
}
