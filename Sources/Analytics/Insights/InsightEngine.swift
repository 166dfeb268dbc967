import Foundation
import Primitives
import Statistics

/// Turns the findings of every source into ranked insights with calibrated confidence.
///
/// One run: every source's findings form ONE Benjamini–Hochberg family (their adjusted
/// p-values); a finding with q ≤ `fdr` becomes a directional insight. Its confidence is
/// `1 − lfdr(p)` from a Beta-uniform mixture fitted to the same family's p-values (the posterior
/// probability that an effect with this p-value is real). A finding whose raw difference passes
/// BH (over the raw p-values) while its adjusted effect does not becomes a `none`-direction
/// insight saying that adjustment made the effect vanish, with the (low) confidence of the
/// adjusted effect. Insights are ranked by impact × confidence.
public struct InsightEngine {
    public var sources: [FindingSource]
    /// Benjamini–Hochberg level of the run.
    public var fdr: Double

    public init(sources: [FindingSource], fdr: Double = 0.1) {
        self.sources = sources
        self.fdr = fdr
    }

    /// What one run found, before anything is written.
    public struct Result {
        public var insights: [Insight]
        /// Every finding tested, with its q-value and confidence (for calibration checks).
        public var findings: [(finding: Finding, qValue: Double, confidence: Double)]
        public var model: BetaUniformMixture
        /// Seconds per stage, in order (`source:NAME`, `fdr_and_confidence`).
        public var stageSeconds: [(stage: String, seconds: Double)]
    }

    public func run(_ context: FindingContext) throws -> Result {
        var stages: [(String, Double)] = []
        var findings: [Finding] = []
        for source in sources {
            let start = Date()
            findings += try source.findings(in: context)
            stages.append(("source:\(source.name)", Date().timeIntervalSince(start)))
        }
        let start = Date()
        let pValues = findings.map(\.pValue)
        // one family for every source; a p-value that could not be computed counts as no evidence (1)
        let q = try BenjaminiHochberg.adjust(pValues.map { $0.isNaN ? 1 : min(1, max(0, $0)) })
        let model = BetaUniformMixture.fit(pValues)
        let rawIndices = findings.indices.filter { findings[$0].rawPValue != nil }
        let rawQ = try BenjaminiHochberg.adjust(rawIndices.map { findings[$0].rawPValue.map { $0.isNaN ? 1 : min(1, max(0, $0)) } ?? 1 })
        var rawQOf: [Int: Double] = [:]
        for (k, i) in rawIndices.enumerated() { rawQOf[i] = rawQ[k] }

        let windowStart = context.since.map { TimestampText.format(secondsSince1970: $0.timeIntervalSince1970) }
        let windowEnd = TimestampText.format(secondsSince1970: context.until.timeIntervalSince1970)
        var insights: [Insight] = []
        var tested: [(Finding, Double, Double)] = []
        for (i, f) in findings.enumerated() {
            let lfdr = model.localFDR(f.pValue)
            let confidence = max(0, min(1, 1 - lfdr))
            tested.append((f, q[i], confidence))
            let significant = q[i] <= fdr
            let vanished = !significant && (rawQOf[i] ?? 1) <= fdr
            guard significant || vanished else { continue }
            let direction: EffectDirection = vanished ? .none : (f.effect.estimate >= 0 ? .higher : .lower)
            let evidence = InsightEvidence(
                method: f.method, adjustedFor: f.adjustedFor, comparison: f.comparisonText, rawPValue: f.rawPValue,
                windowStart: windowStart, windowEnd: windowEnd, fdrLevel: fdr, hypotheses: findings.count,
                nullShare: model.nullShare, localFDR: lfdr, numbers: f.numbers)
            let text = InsightText(finding: f, direction: direction, pValue: f.pValue, qValue: q[i])
            insights.append(Insight(
                category: f.category, kind: f.kind, title: text.title, description: text.description,
                subject: f.subject, metric: f.metric, direction: direction, effect: f.effect, rawEffect: f.rawEffect,
                pValue: f.pValue, qValue: q[i], confidence: confidence, volume: f.volume,
                impact: vanished ? 0 : f.impact, rank: 0, recommendedAction: text.action, source: f.source,
                fingerprint: Insight.fingerprint(kind: f.kind, subject: f.subject, metric: f.metric, direction: direction),
                evidence: evidence))
        }
        insights.sort { ($0.score, $0.confidence, $0.fingerprint) > ($1.score, $1.confidence, $1.fingerprint) }
        for k in insights.indices { insights[k].rank = k + 1 }
        stages.append(("fdr_and_confidence", Date().timeIntervalSince(start)))
        return Result(insights: insights, findings: tested, model: model, stageSeconds: stages)
    }
}
