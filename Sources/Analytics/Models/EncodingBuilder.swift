import Foundation

/// Builds a ``FeatureEncoding`` from training rows, dropping what cannot be used and saying why.
///
/// Rules, in order: a feature missing on every training row, or on more than
/// `maximumMissingShare` of them, is dropped (never filled with zero); rows missing any remaining
/// feature are then left out (counted); a categorical feature with one level and a numeric
/// feature with one value are dropped; levels seen on fewer than `minimumLevelRows` rows get no
/// column (scored at the reference, listed). The reference level is the most frequent one (ties:
/// the first in code-point order; for a classifier, among levels with both outcomes). Indicators keep their 0/1 values; continuous features are
/// centred on their training mean and divided by their training SD. A numeric feature that
/// appears in a nested interaction gets one slope per level instead of a main effect.
public struct EncodingBuilder: Sendable {
    public var maximumMissingShare = 0.5
    public var minimumLevelRows = 5
    public init() {}

    /// The encoding and the training rows complete for it.
    public func build(spec: ModelSpec, table: FeatureTable, rows candidate: [Int]) throws -> (encoding: FeatureEncoding, rows: [Int], incompleteRows: Int) {
        var dropped: [DroppedTerm] = []
        var kept: [FeatureSpec] = []
        let n = candidate.count
        guard n > 0 else { throw ModelsError(.cannotTrain, "\(spec.name): no training rows with a response") }
        for f in spec.features {
            let isMissing = missingTest(table, f)
            let missing = candidate.reduce(0) { $0 + (isMissing($1) ? 1 : 0) }
            if missing == n {
                dropped.append(DroppedTerm(term: f.name, reason: "missing on every training row"))
            } else if Double(missing) > maximumMissingShare * Double(n) {
                let pct = (100 * Double(missing) / Double(n)).rounded()
                dropped.append(DroppedTerm(term: f.name, reason: "missing on \(missing) of \(n) training rows (\(Int(pct))%); not imputed"))
            } else {
                kept.append(f)
            }
        }
        let keptMissing = kept.map { missingTest(table, $0) }
        let rows = candidate.filter { r in keptMissing.allSatisfy { !$0(r) } }
        guard !rows.isEmpty else { throw ModelsError(.cannotTrain, "\(spec.name): no training row has every kept feature") }

        var categoricals: [CategoricalEncoding] = []
        var levelColumns: [String: [String]] = [:]   // feature → levels with a column of their own
        var numericScaling: [String: (center: Double, scale: Double)] = [:]
        var used: [FeatureSpec] = []
        for f in kept {
            if f.isNumeric {
                let column = table.numeric[f.name]!   // kept: present on some rows
                let xs = rows.map { column[$0] }
                let mean = xs.reduce(0, +) / Double(xs.count)
                let (lo, hi) = (xs.min() ?? 0, xs.max() ?? 0)
                if lo == hi {
                    dropped.append(DroppedTerm(term: f.name, reason: "constant: every training row has \(FeatureTable.text(lo))"))
                    continue
                }
                if f.role == .indicator {
                    numericScaling[f.name] = (0, 1)
                } else {
                    let ss = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
                    numericScaling[f.name] = (mean, (ss / Double(max(xs.count - 1, 1))).squareRoot())
                }
                used.append(f)
            } else {
                // counted by code, then by level: the rows are complete, so every code is a level
                let coded = table.categorical[f.name]!
                var byCode = [Int](repeating: 0, count: coded.levels.count)
                for r in rows { byCode[Int(coded.codes[r])] += 1 }
                var counts: [String: Int] = [:]
                for (k, n) in byCode.enumerated() where n > 0 { counts[coded.levels[k], default: 0] += n }
                let levels = counts.keys.sorted()
                guard levels.count > 1 else {
                    dropped.append(DroppedTerm(term: f.name, reason: "a single level ('\(levels.first ?? "")') in the training rows"))
                    continue
                }
                // a classifier's reference must not be a level whose rows all have one outcome: every
                // other level would be measured against infinite log-odds (separation everywhere)
                var positives: [String: Double] = [:]
                if spec.kind == .logistic {
                    var byCode = [Double](repeating: 0, count: coded.levels.count)
                    for r in rows { byCode[Int(coded.codes[r])] += table.response[r] ?? 0 }
                    for (k, y) in byCode.enumerated() where counts[coded.levels[k]] != nil { positives[coded.levels[k], default: 0] += y }
                }
                let mixed = levels.filter { spec.kind != .logistic || (positives[$0, default: 0] > 0 && positives[$0, default: 0] < Double(counts[$0]!)) }
                let reference = (mixed.isEmpty ? levels : mixed).max { counts[$0]! < counts[$1]! || (counts[$0]! == counts[$1]! && $0 > $1) }!
                let rare = levels.filter { $0 != reference && counts[$0]! < minimumLevelRows }
                for l in rare {
                    dropped.append(DroppedTerm(term: "\(f.name)[\(l)]", reason: "seen on \(counts[l]!) training rows (fewer than \(minimumLevelRows)); scored at the reference '\(reference)'"))
                }
                categoricals.append(CategoricalEncoding(feature: f.name, reference: reference, levels: levels,
                                                        counts: levels.map { counts[$0]! }, scoredAtReference: rare))
                levelColumns[f.name] = levels.filter { $0 != reference && !rare.contains($0) }
                used.append(f)
            }
        }

        var columns: [DesignColumn] = []
        let nested = Set(spec.interactions.filter { levelColumns[$0.categorical] != nil && numericScaling[$0.numeric] != nil }.map(\.numeric))
        for f in used {
            if let levels = levelColumns[f.name] {
                for l in levels {
                    columns.append(DesignColumn(term: "\(f.name)[\(l)]", kind: .level, feature: f.name, level: l, numeric: nil, center: 0, scale: 1))
                }
            } else if let s = numericScaling[f.name], !nested.contains(f.name) {
                columns.append(DesignColumn(term: f.name, kind: .numeric, feature: f.name, level: nil, numeric: nil, center: s.center, scale: s.scale))
            }
        }
        for i in spec.interactions {
            guard let cat = categoricals.first(where: { $0.feature == i.categorical }), let s = numericScaling[i.numeric] else {
                dropped.append(DroppedTerm(term: "\(i.categorical):\(i.numeric)", reason: "a feature of the interaction was dropped"))
                continue
            }
            for l in cat.levels where !cat.scoredAtReference.contains(l) {
                let term = "\(i.categorical)[\(l)]:\(i.numeric)"
                let coded = table.categorical[i.categorical]!, column = table.numeric[i.numeric]!
                let isLevel = coded.levels.map { $0 == l }
                let xs = rows.filter { coded.codes[$0] >= 0 && isLevel[Int(coded.codes[$0])] }.map { column[$0] }
                guard let lo = xs.min(), let hi = xs.max(), lo != hi else {
                    dropped.append(DroppedTerm(term: term, reason: "\(i.numeric) does not vary within \(i.categorical) = '\(l)'"))
                    continue
                }
                columns.append(DesignColumn(term: term, kind: .slope, feature: i.categorical, level: l, numeric: i.numeric, center: s.center, scale: s.scale))
            }
        }
        let encoding = FeatureEncoding(columns: columns, categoricals: categoricals, usedFeatures: used.map(\.name).sorted(), dropped: dropped)
        return (encoding, rows, n - rows.count)
    }

    /// Whether feature `f` is missing at a row, with its column looked up once (not per row).
    private func missingTest(_ table: FeatureTable, _ f: FeatureSpec) -> (Int) -> Bool {
        if f.isNumeric {
            guard let xs = table.numeric[f.name] else { return { _ in true } }
            return { xs[$0].isNaN }
        }
        guard let codes = table.categorical[f.name]?.codes else { return { _ in true } }
        return { codes[$0] < 0 }
    }
}

extension FeatureEncoding {
    /// The encoding without the design columns named in `terms` (aliased or separated terms
    /// the fit refused), each listed in `dropped` with `reason`; a removed level column moves
    /// its level to the levels scored at the reference.
    func removing(terms: Set<String>, reason: String) -> FeatureEncoding {
        let removed = columns.filter { terms.contains($0.term) }
        let cats = categoricals.map { c -> CategoricalEncoding in
            let extra = removed.filter { $0.kind == .level && $0.feature == c.feature }.compactMap(\.level)
            return extra.isEmpty ? c : CategoricalEncoding(feature: c.feature, reference: c.reference, levels: c.levels, counts: c.counts,
                                                           scoredAtReference: c.scoredAtReference + extra)
        }
        return FeatureEncoding(columns: columns.filter { !terms.contains($0.term) }, categoricals: cats, usedFeatures: usedFeatures,
                               dropped: dropped + removed.map { DroppedTerm(term: $0.term, reason: reason) })
    }
}

extension FeatureTable {
    /// A number as short text for messages (`2`, not `2.0`).
    static func text(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(x)"
    }
}
