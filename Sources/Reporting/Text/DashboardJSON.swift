import Foundation
import Statistics

extension Dashboard {
    /// The JSON document of `ail dashboard --format json` (JSONSerialization values; missing
    /// figures are null).
    public func jsonObject() -> [String: Any] {
        func interval(_ w: WilsonScoreInterval) -> [String: Any] {
            ["level": w.level, "lower": ValueFormat.json(w.lower), "upper": ValueFormat.json(w.upper)]
        }
        return [
            "window": window.jsonObject(),
            "previous_window": window.previous.jsonObject(),
            "kpis": kpis.map { $0.jsonObject() },
            "tools": tools.map { t -> [String: Any] in
                ["rank": t.rank, "tool_name": t.toolName, "calls": t.calls, "successes": t.successes,
                 "success_rate": ValueFormat.json(t.successRate), "interval": interval(t.interval),
                 "median_time_ms": ValueFormat.json(t.medianTimeMs)]
            },
            "code_generation": codeGeneration.map { g -> [String: Any] in
                ["generation_type": g.generationType, "language": g.language, "generations": g.generations,
                 "decided": g.decided, "accepted": g.accepted, "acceptance_rate": ValueFormat.json(g.acceptanceRate),
                 "interval": interval(g.interval), "mean_lines_generated": ValueFormat.json(g.meanLinesGenerated)]
            },
            "satisfaction_trend": [
                "sparkline": Sparkline.text(daily.map(\.satisfaction)),
                "daily": daily.map { ["day": $0.dayText, "mean_rating": ValueFormat.json($0.satisfaction), "ratings": $0.ratings] as [String: Any] },
            ] as [String: Any],
            "insights": insights.map { i -> [String: Any] in
                ["rank": i.rank.map { $0 as Any } ?? NSNull(), "category": i.category, "insight_type": i.insightType, "title": i.title,
                 "confidence": i.confidence, "impact": ValueFormat.json(i.impact),
                 "recommended_action": i.recommendedAction.map { $0 as Any } ?? NSNull(), "subject": i.subject, "last_seen": i.lastSeen]
            },
            "alerts": alerts.map { a -> [String: Any] in
                ["severity": a.severity.map { $0 as Any } ?? NSNull(), "title": a.title,
                 "subject": a.subject.map { $0 as Any } ?? NSNull(), "raised_at": a.raisedAt.map { $0 as Any } ?? NSNull()]
            },
        ]
    }
}
