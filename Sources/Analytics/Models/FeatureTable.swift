import Statistics

/// A feature query's frame resolved into what the models read: codes per categorical feature,
/// doubles per numeric feature, validity masks, times, clusters and row keys.
public struct FeatureTable: Sendable {
    /// A categorical feature: `codes[row]` indexes `levels`, −1 when missing.
    public struct Codes: Sendable {
        public let codes: [Int32]
        public let levels: [String]
    }
    public let rowCount: Int
    public let rowKeys: [String?]
    /// Microseconds since 1970 (UTC), nil when missing.
    public let times: [Int64?]
    public let developers: [String?]
    public let sessions: [String?]
    /// The response, nil when missing (unscorable for training, fine for scoring).
    public let response: [Double?]
    public let categorical: [String: Codes]
    /// Numeric features; NaN marks a missing value.
    public let numeric: [String: [Double]]

    init(rowCount: Int, rowKeys: [String?], times: [Int64?], developers: [String?], sessions: [String?],
         response: [Double?], categorical: [String: Codes], numeric: [String: [Double]]) {
        self.rowCount = rowCount
        self.rowKeys = rowKeys
        self.times = times
        self.developers = developers
        self.sessions = sessions
        self.response = response
        self.categorical = categorical
        self.numeric = numeric
    }

    /// Resolves `frame` (the rows of `spec`'s query) into typed feature columns.
    /// - Throws: ``ModelsError/Code/badInput`` when a required column is absent or has a type
    ///   the feature cannot read.
    public init(frame: DataFrame, spec: ModelSpec, requireResponse: Bool = true) throws {
        rowCount = frame.rowCount
        func column(_ name: String) throws -> Column? {
            frame.columnNames.contains(name) ? try frame.column(named: name) : nil
        }
        // for scoring alone (requireResponse false) the bookkeeping columns may be absent
        func texts(_ name: String) throws -> [String?] {
            guard let c = try column(name) else {
                if !requireResponse { return [String?](repeating: nil, count: frame.rowCount) }
                throw ModelsError(.badInput, "the feature query of \(spec.name) returns no column '\(name)'")
            }
            return (0..<frame.rowCount).map { c.text(at: $0) }
        }
        rowKeys = try texts("row_key")
        developers = try texts("developer_id")
        sessions = try texts("session_id")
        if let t = try column("occurred_at"), case .timestamp(let micros) = t.values {
            times = micros.indices.map { t.isValid($0) ? micros[$0] : nil }
        } else if !requireResponse {
            times = [Int64?](repeating: nil, count: frame.rowCount)
        } else {
            throw ModelsError(.badInput, "the feature query of \(spec.name) must return occurred_at as a timestamp")
        }
        if let r = try column(spec.response) {
            let values = try FeatureTable.doubles(r, spec.response)
            response = values.map { $0.isNaN ? nil : $0 }
        } else if requireResponse {
            throw ModelsError(.badInput, "the feature query of \(spec.name) returns no response column '\(spec.response)'")
        } else {
            response = [Double?](repeating: nil, count: frame.rowCount)
        }
        var cats: [String: Codes] = [:], nums: [String: [Double]] = [:]
        for f in spec.features {
            guard let c = try column(f.name) else {
                throw ModelsError(.badInput, "the feature query of \(spec.name) returns no column '\(f.name)'")
            }
            if f.isNumeric {
                nums[f.name] = try FeatureTable.doubles(c, f.name)
            } else if case .categorical(let codes, let levels) = c.values {
                cats[f.name] = Codes(codes: codes, levels: levels)
            } else {
                var index: [String: Int32] = [:], levels: [String] = []
                let codes = (0..<c.count).map { r -> Int32 in
                    guard let s = c.text(at: r) else { return -1 }
                    if let k = index[s] { return k }
                    index[s] = Int32(levels.count); levels.append(s)
                    return Int32(levels.count - 1)
                }
                cats[f.name] = Codes(codes: codes, levels: levels)
            }
        }
        categorical = cats
        numeric = nums
    }

    /// A numeric column as doubles, NaN where missing.
    static func doubles(_ c: Column, _ name: String) throws -> [Double] {
        switch c.values {
        case .float64(let v): return v.indices.map { c.isValid($0) ? v[$0] : .nan }
        case .int64(let v): return v.indices.map { c.isValid($0) ? Double(v[$0]) : .nan }
        case .bool(let v): return v.indices.map { c.isValid($0) ? (v[$0] ? 1 : 0) : .nan }
        default:
            throw ModelsError(.badInput, "feature '\(name)' must be numeric (float8, integer or boolean); the query returns \(c.type.rawValue)")
        }
    }

    /// The text of categorical `feature` at `row`, nil when missing.
    public func text(_ feature: String, _ row: Int) -> String? {
        guard let c = categorical[feature] else { return nil }
        let k = c.codes[row]
        return k < 0 ? nil : c.levels[Int(k)]
    }

    /// The values of one row, as `ail predict --input` would give them.
    public func values(at row: Int) -> FeatureValues {
        var v = FeatureValues()
        for (f, _) in categorical { if let s = text(f, row) { v.text[f] = s } }
        for (f, xs) in numeric where !xs[row].isNaN { v.numbers[f] = xs[row] }
        return v
    }

    /// Whether every feature `encoding` reads has a value at `row`.
    public func isComplete(_ row: Int, for encoding: FeatureEncoding) -> Bool {
        for f in encoding.usedFeatures {
            if let c = categorical[f] { if c.codes[row] < 0 { return false } }
            else if let x = numeric[f], x[row].isNaN { return false }
        }
        return true
    }

    /// Per row: whether categorical `feature` is scored as `level` (``FeatureEncoding/effectiveLevel(_:_:)``).
    func levelMask(_ encoding: FeatureEncoding, _ feature: String, _ level: String?) -> [Bool] {
        guard let c = categorical[feature] else { return [Bool](repeating: false, count: rowCount) }
        let byCode = c.levels.map { encoding.effectiveLevel(feature, $0) == level }
        return c.codes.map { $0 >= 0 && byCode[Int($0)] }
    }

    /// The design matrix (no intercept column) of `rows`: column by column, with the same
    /// arithmetic as ``FeatureEncoding/designRow(_:features:)``, so a row scores identically
    /// either way. Rows must be complete for the encoding.
    public func design(_ encoding: FeatureEncoding, rows: [Int]) -> Matrix {
        let n = rows.count, p = encoding.columns.count
        var storage = [Double](repeating: 0, count: n * p)
        for (j, c) in encoding.columns.enumerated() {
            let base = j * n
            switch c.kind {
            case .level:
                let matches = levelMask(encoding, c.feature, c.level)
                for (i, r) in rows.enumerated() where matches[r] { storage[base + i] = 1 }
            case .numeric:
                let xs = numeric[c.feature] ?? []
                for (i, r) in rows.enumerated() { storage[base + i] = (xs[r] - c.center) / c.scale }
            case .slope:
                let matches = levelMask(encoding, c.feature, c.level)
                let xs = numeric[c.numeric ?? ""] ?? []
                for (i, r) in rows.enumerated() where matches[r] { storage[base + i] = (xs[r] - c.center) / c.scale }
            }
        }
        // n·p entries were allocated for exactly this shape
        return (try? Matrix(rows: n, columns: p, columnMajor: storage)) ?? Matrix(rows: n, columns: p)
    }
}
