import Statistics

/// Contrast patterns: attributes and itemsets whose outcome rate differs from the rest.
///
/// Outcomes and their units:
/// - `session_success`: sessions with a reported outcome (see ``PatternData/Session/succeeded``);
/// - `satisfied`: rated sessions, 4–5 stars;
/// - `code_accepted`: decided generations, with the session's items but the generation's own
///   `generation_type` and `language` in place of the session's;
/// - `tool_success:NAME`: sessions that called NAME, success meaning no call of NAME failed
///   (NAME's own item left out, since every unit has it).
/// Candidates are the itemsets of up to `contrastMaxLength` items with support ≥ min support
/// among the outcome's units (FP-Growth); each is tested with ``ContrastTester``, itemsets of
/// two or more items also against their subsets (productive patterns).
enum ContrastAnalysis {
    struct Units {
        var outcome: String
        var items: [[String]]
        var positive: [Bool]
    }

    static func units(_ data: PatternData, minimumGroup: Int) -> [Units] {
        var result: [Units] = []
        let known = data.sessions.filter { $0.succeeded != nil }
        result.append(Units(outcome: "session_success", items: known.map(\.items), positive: known.map { $0.succeeded == true }))
        let rated = data.sessions.filter { $0.satisfied != nil }
        result.append(Units(outcome: "satisfied", items: rated.map(\.items), positive: rated.map { $0.satisfied == true }))
        var generationItems: [[String]] = [], accepted: [Bool] = []
        for g in data.generations {
            var items = data.sessions[g.session].items.filter { !$0.hasPrefix("generation_type=") && !$0.hasPrefix("language=") }
            items.append("generation_type=" + g.generationType)
            if let language = g.language { items.append("language=" + language) }
            generationItems.append(items)
            accepted.append(g.accepted)
        }
        result.append(Units(outcome: "code_accepted", items: generationItems, positive: accepted))
        let tools = Set(data.sessions.flatMap(\.toolsUsed)).sorted()
        for tool in tools {
            let users = data.sessions.filter { $0.toolsUsed.contains(tool) }
            guard users.count >= 2 * minimumGroup else { continue }
            result.append(Units(outcome: "tool_success:" + tool, items: users.map { $0.items.filter { $0 != "tool=" + tool } },
                                positive: users.map { !$0.toolsFailed.contains(tool) }))
        }
        return result.filter { !$0.items.isEmpty }
    }

    static func run(_ data: PatternData, options: PatternAnalysisOptions) throws -> (findings: [PatternFinding], units: [String: Int]) {
        var findings: [PatternFinding] = []
        var unitCounts: [String: Int] = [:]
        for u in units(data, minimumGroup: options.minimumGroup) {
            unitCounts[u.outcome] = u.items.count
            let vocabulary = ItemVocabulary(u.items)
            let transactions = vocabulary.transactions(u.items)
            let n = transactions.count
            let mined = try FPGrowth(minimumSupport: .fraction(options.minSupport), maxLength: options.contrastMaxLength).mine(transactions)
            var itemCovers = Array(repeating: UnitBitset(count: n), count: vocabulary.names.count)
            for t in 0 ..< n { for item in transactions[t] { itemCovers[Int(item)].insert(t) } }
            let tester = ContrastTester(outcome: UnitBitset(count: n, indices: u.positive.indices.filter { u.positive[$0] }),
                                        level: options.level, minimumGroup: options.minimumGroup)
            func cover(_ items: [Int32]) -> UnitBitset {
                var c = UnitBitset(count: n, full: true)
                for item in items { c = c.intersection(itemCovers[Int(item)]) }
                return c
            }
            for i in 0 ..< mined.count {
                let items = Array(mined[i])
                let generalisations = items.count < 2 ? [] : items.indices.map { skip in
                    cover(items.enumerated().filter { $0.offset != skip }.map(\.element))
                }
                guard let s = try tester.test(cover: cover(items), generalisations: generalisations) else { continue }
                findings.append(finding(kind: "contrast", outcome: u.outcome, pattern: vocabulary.names(items), n: n, s,
                                        method: items.count < 2 ? "fisher_exact" : "fisher_exact_productive"))
            }
        }
        return (findings, unitCounts)
    }

    static func finding(kind: String, outcome: String, pattern: [String], n: Int, _ s: ContrastStatistics, method: String) -> PatternFinding {
        PatternFinding(kind: kind, outcome: outcome, pattern: pattern, consequent: nil, support: Double(s.unitsWith) / Double(n),
                       n: n, nWith: s.unitsWith, rateWith: s.rateWith, rateWithout: s.rateWithout, effect: s.difference,
                       effectMeasure: "rate_difference", confLow: s.differenceLow, confHigh: s.differenceHigh,
                       logOddsRatio: s.logOddsRatio, pValue: s.pValue, qValue: nil, significant: nil, method: method,
                       details: ["positives_with": Double(s.positivesWith), "positives_without": Double(s.positivesWithout),
                                 "units_without": Double(s.unitsWithout), "p_value_versus_rest": s.pValueVersusRest,
                                 "log_odds_ratio_low": s.logOddsRatioLow, "log_odds_ratio_high": s.logOddsRatioHigh])
    }
}
