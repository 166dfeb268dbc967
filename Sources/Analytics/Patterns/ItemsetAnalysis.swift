import Statistics

/// Frequent itemsets and association rules over the sessions' attribute items (descriptive:
/// no test, so they are not in the false-discovery family).
enum ItemsetAnalysis {
    static func run(_ data: PatternData, options: PatternAnalysisOptions) throws -> (findings: [PatternFinding], countsByLength: [String: Int]) {
        let lists = data.sessions.map(\.items)
        let vocabulary = ItemVocabulary(lists)
        let transactions = vocabulary.transactions(lists)
        guard transactions.count > 0 else { return ([], [:]) }
        // closed and maximal are judged among all frequent itemsets, so only `all` may stop early
        let limit = options.target == .all ? options.maxItemsetLength : nil
        let mined = try FPGrowth(minimumSupport: .fraction(options.minSupport), maxLength: limit).mine(transactions)
        let countsByLength = Dictionary(uniqueKeysWithValues: mined.countsByLength.map { (String($0.key), $0.value) })
        let selected = mined.selecting(options.target)
        var findings: [PatternFinding] = []
        let n = transactions.count
        for i in selected.rankedIndices() where selected.length(i) >= 2 && selected.length(i) <= options.maxItemsetLength {
            findings.append(PatternFinding(kind: "itemset", outcome: nil, pattern: vocabulary.names(selected[i]), consequent: nil,
                                           support: selected.support(i), n: n, nWith: selected.counts[i], rateWith: nil, rateWithout: nil,
                                           effect: selected.support(i), effectMeasure: "support", confLow: nil, confHigh: nil,
                                           logOddsRatio: nil, pValue: nil, qValue: nil, significant: nil,
                                           method: "fpgrowth_\(options.target.rawValue)", details: [:]))
        }
        let base = mined.filtered { mined.length($0) <= options.maxItemsetLength }
        let rules = try base.associationRules(minConfidence: options.minConfidence).filter { $0.lift > 1 }
            .sorted { $0.lift != $1.lift ? $0.lift > $1.lift : $0.count > $1.count }
        for rule in rules {
            findings.append(PatternFinding(kind: "rule", outcome: nil, pattern: vocabulary.names(rule.antecedent),
                                           consequent: vocabulary.names(rule.consequent), support: rule.support, n: n,
                                           nWith: rule.count, rateWith: rule.confidence, rateWithout: nil, effect: rule.lift,
                                           effectMeasure: "lift", confLow: nil, confHigh: nil, logOddsRatio: nil, pValue: nil,
                                           qValue: nil, significant: nil, method: "fpgrowth_rule",
                                           details: ["antecedent_support": rule.antecedentSupport,
                                                     "consequent_support": rule.consequentSupport]))
        }
        return (findings, countsByLength)
    }
}
