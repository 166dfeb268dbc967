import Foundation

/// Reads the kept rows of frame columns as the design needs them: numbers, categorical codings,
/// weights and cluster groups, with errors naming the column, the row and the value.
struct KeptRows {
    let keep: [Int]
    /// The number a user sees for frame row 0 (2 in a CSV file: the header is row 1).
    let rowNumberBase: Int

    /// A cell that could not be read as a number: its frame row and text.
    private struct CellProblem: Error {
        let row: Int
        let text: String
        let finite: Bool     // it is a number, but not a finite one
    }

    /// The raw numeric value of each kept row.
    private func raw(_ column: Column) throws -> [Double] {
        switch column.values {
        case .float64(let v):
            if keep.count == v.count, v.allSatisfy(\.isFinite) { return v }
            return try keep.map { r in
                guard v[r].isFinite else { throw CellProblem(row: r, text: column.text(at: r) ?? "", finite: true) }
                return v[r]
            }
        case .int64(let v): return keep.map { Double(v[$0]) }
        case .bool(let v): return keep.map { v[$0] ? 1 : 0 }
        case .timestamp(let v): return keep.map { Double(v[$0]) / 1e6 }
        case .categorical(let codes, let levels):
            var cache = [Double?](repeating: nil, count: levels.count)
            return try keep.map { r in
                let code = Int(codes[r])
                if let v = cache[code] { return v }
                let v = try Self.number(levels[code], row: r)
                cache[code] = v
                return v
            }
        case .text(let v): return try keep.map { try Self.number(v[$0], row: $0) }
        }
    }

    /// A number written as text: a decimal number or true/false/yes/no.
    private static func number(_ text: String, row: Int) throws -> Double {
        if let v = DecimalParser.double(text) {
            guard v.isFinite else { throw CellProblem(row: row, text: text, finite: true) }
            return v
        }
        switch text.lowercased() {
        case "true", "yes": return 1
        case "false", "no": return 0
        case "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity": throw CellProblem(row: row, text: text, finite: true)
        default: throw CellProblem(row: row, text: text, finite: false)
        }
    }

    /// How a cell's text is shown in a message: NUL and other control bytes made visible.
    private static func shown(_ text: String) -> String {
        let escaped = text.unicodeScalars.map { $0.value < 0x20 ? String(format: "\\u{%02X}", $0.value) : String($0) }.joined()
        return "'\(escaped)'" + (text.contains("\0") ? " (it holds a NUL byte)" : "")
    }

    /// The values of numeric factor `factor` on the kept rows.
    func numbers(_ factor: Formula.Factor, _ column: Column, isResponse: Bool = false) throws -> [Double] {
        let c = column.name
        if case .indicator(_, let value) = factor {
            let hits = keep.map { column.text(at: $0) == value ? 1.0 : 0.0 }
            guard hits.contains(1) else {
                let seen = Array(Set(keep.prefix(10_000).compactMap { column.text(at: $0) })).sorted(by: levelOrder).prefix(8)
                throw NumericsError(.invalidData, "\(factor.label): column '\(c)' has no value '\(value)' on the rows used; its values include: \(seen.joined(separator: ", "))")
            }
            return hits
        }
        let values: [Double]
        do {
            values = try raw(column)
        } catch let p as CellProblem {
            let row = p.row + rowNumberBase
            if p.finite { throw NumericsError(.invalidData, "column '\(c)' row \(row): \(Self.shown(p.text)) is not a finite number") }
            if isResponse {
                throw NumericsError(.invalidData, "the response '\(c)' must be numeric (0/1 for a logistic fit) but row \(row) has \(Self.shown(p.text)); to model one value against the others, write the response as I(\(Self.quotedName(c)) == \"\(p.text)\")")
            }
            throw NumericsError(.invalidData, "column '\(c)' row \(row): \(Self.shown(p.text)) is not a number; use C(\(Self.quotedName(c))) for a categorical column")
        }
        switch factor {
        case .numeric, .categorical, .indicator: return values
        case .power(_, let k): return values.map { pow($0, Double(k)) }
        case .transformed(let f, _):
            return try zip(keep, values).map { r, v in
                let out: Double
                switch f {
                case .log:
                    guard v > 0 else { throw NumericsError(.invalidData, "log(\(c)): row \(r + rowNumberBase) has \(c) = \(Column.levelText(v)); log needs positive values") }
                    out = log(v)
                case .sqrt:
                    guard v >= 0 else { throw NumericsError(.invalidData, "sqrt(\(c)): row \(r + rowNumberBase) has \(c) = \(Column.levelText(v)); sqrt needs values ≥ 0") }
                    out = v.squareRoot()
                case .exp:
                    out = exp(v)
                    guard out.isFinite else { throw NumericsError(.invalidData, "exp(\(c)): row \(r + rowNumberBase) has \(c) = \(Column.levelText(v)), whose exp overflows") }
                }
                return out
            }
        }
    }

    /// The column name as a formula would write it: in backticks unless it is a plain word.
    static func quotedName(_ name: String) -> String {
        name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }) ? name : "`\(name)`"
    }

    /// Finite non-negative case weights.
    func weights(_ column: Column) throws -> [Double] {
        do {
            let w = try raw(column)
            if let bad = w.firstIndex(where: { $0 < 0 }) {
                throw CellProblem(row: keep[bad], text: column.text(at: keep[bad]) ?? "", finite: false)
            }
            return w
        } catch let p as CellProblem {
            throw NumericsError(.invalidData, "weights column '\(column.name)', row \(p.row + rowNumberBase): \(Self.shown(p.text)) is not a finite non-negative number")
        }
    }

    /// Group number of each kept row, numbered by first appearance.
    func groups(_ column: Column) -> [Int] {
        if case .categorical(let codes, _) = column.values {
            var ids: [Int32: Int] = [:]
            return keep.map { r in
                if let g = ids[codes[r]] { return g }
                ids[codes[r]] = ids.count
                return ids.count - 1
            }
        }
        var ids: [String: Int] = [:]
        return keep.map { r in
            let key = column.text(at: r) ?? ""
            if let g = ids[key] { return g }
            ids[key] = ids.count
            return ids.count - 1
        }
    }

    /// The levels of a categorical factor on the kept rows, rare ones pooled.
    func categorical(_ column: Column, minLevelCount: Int) throws -> CategoricalCoding {
        // raw level number of each kept row, and the raw levels' text
        var rawIndex: [Int32] = []
        var rawLevels: [String] = []
        if case .categorical(let codes, let levels) = column.values {
            rawLevels = levels
            rawIndex = keep.map { codes[$0] }
        } else {
            var ids: [String: Int32] = [:]
            rawIndex = keep.map { r in
                let key = column.text(at: r) ?? ""
                if let id = ids[key] { return id }
                let id = Int32(rawLevels.count)
                ids[key] = id; rawLevels.append(key)
                return id
            }
        }
        var counts = [Int](repeating: 0, count: rawLevels.count)
        for i in rawIndex { counts[Int(i)] += 1 }
        var present: [String: Int] = [:]
        for (i, n) in counts.enumerated() where n > 0 { present[rawLevels[i]] = n }
        let rare = Set(present.filter { $0.value < minLevelCount }.map(\.key))
        var pooledName = "other"
        if !rare.isEmpty {
            // the pooled level is "other" unless the data have a level of that name already
            while present[pooledName] != nil && !rare.contains(pooledName) { pooledName += "_pooled" }
        }
        let finalName = rawLevels.map { rare.contains($0) ? pooledName : $0 }
        let levels = Array(Set(present.keys.map { rare.contains($0) ? pooledName : $0 })).sorted(by: levelOrder)
        guard levels.count >= 2 else {
            throw NumericsError(.invalidData, "C(\(column.name)) has a single level ('\(levels.first ?? "")') on the \(keep.count) rows used: its effect cannot be estimated; leave it out")
        }
        let position = Dictionary(uniqueKeysWithValues: levels.enumerated().map { ($1, Int32($0)) })
        let rawToFinal = finalName.map { position[$0] ?? -1 }
        return CategoricalCoding(levels: levels, index: rawIndex.map { rawToFinal[Int($0)] },
                                 pooled: rare.sorted(), pooledName: pooledName)
    }
}

/// A categorical factor's levels (sorted; the first is the reference) and each kept row's level.
struct CategoricalCoding {
    let levels: [String]
    let index: [Int32]
    let pooled: [String]
    let pooledName: String

    /// 0/1 columns for every level but the first (or for every level), named prefix + level.
    func dummies(allLevels: Bool, prefix: String) -> ([String], [[Double]]) {
        let chosen = allLevels ? Array(levels.indices) : Array(levels.indices.dropFirst())
        return (chosen.map { "\(prefix)\(levels[$0])" },
                chosen.map { l in let l = Int32(l); return index.map { $0 == l ? 1 : 0 } })
    }
}

/// The order of categorical levels (the first is the reference): numbers in numeric order, then
/// everything else in code-point order. A strict weak order even when a column mixes numbers and
/// words, so the reference level never depends on the order rows arrive in.
func levelOrder(_ a: String, _ b: String) -> Bool {
    func number(_ s: String) -> Double? { DecimalParser.double(s) }
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
