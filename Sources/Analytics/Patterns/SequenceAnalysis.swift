import Statistics

/// Sequential patterns of tool calls (PrefixSpan) tested against session success: a sequence
/// of two or more calls, in order with gaps allowed, whose sessions succeed more or less often
/// than the rest, and more or less often than sessions with each of its one-call-shorter
/// subsequences (productive, as for itemsets).
enum SequenceAnalysis {
    static func run(_ data: PatternData, options: PatternAnalysisOptions) throws -> [PatternFinding] {
        let sessions = data.sessions.filter { $0.succeeded != nil }
        let n = sessions.count
        guard n > 0 else { return [] }
        let vocabulary = ItemVocabulary(sessions.map(\.toolSequence))
        let ids = Dictionary(uniqueKeysWithValues: vocabulary.names.enumerated().map { ($1, Int32($0)) })
        let sequences = sessions.map { $0.toolSequence.compactMap { ids[$0] } }
        let patterns = try PrefixSpan(minimumSupport: .fraction(options.minSupport), maxLength: options.sequenceMaxLength).mine(sequences)
        var covers: [[Int32]: UnitBitset] = [:]
        for p in patterns { covers[p.items] = UnitBitset(count: n, indices: p.sequences) }
        let tester = ContrastTester(outcome: UnitBitset(count: n, indices: sessions.indices.filter { sessions[$0].succeeded == true }),
                                    level: options.level, minimumGroup: options.minimumGroup)
        var findings: [PatternFinding] = []
        for p in patterns where p.items.count >= 2 {
            guard let cover = covers[p.items] else { continue }
            // every subsequence of a frequent sequence is frequent, so each is in `covers`
            let generalisations = p.items.indices.compactMap { skip in
                covers[p.items.enumerated().filter { $0.offset != skip }.map(\.element)]
            }
            guard let s = try tester.test(cover: cover, generalisations: generalisations) else { continue }
            findings.append(ContrastAnalysis.finding(kind: "sequence", outcome: "session_success", pattern: vocabulary.names(p.items),
                                                     n: n, s, method: "prefixspan_fisher_exact_productive"))
        }
        return findings
    }
}
