import Foundation
import Primitives
import Statistics

/// Error messages grouped into templates (``ErrorTemplateMiner``), counted per tool and UTC day,
/// with the trend of each template's daily rate per call (``PoissonTrend``, exposure = tool calls
/// and other interactions that day, days without calls left out).
enum ErrorTemplateAnalysis {
    static func run(_ data: PatternData, options: PatternAnalysisOptions) -> [(summary: ErrorTemplateSummary, trend: PoissonTrend?)] {
        var miner = ErrorTemplateMiner()
        var templateOf: [String: Int] = [:]
        for message in Set(data.errors.map(\.message)).sorted() { templateOf[message] = miner.add(message) }
        // templates may have been generalised after a message was assigned: ids stay valid
        var summaries: [Int: ErrorTemplateSummary] = [:]
        var dailyCounts: [Int: [String: [Int: Int]]] = [:]
        for e in data.errors {
            guard let id = templateOf[e.message] else { continue }
            var s = summaries[id] ?? ErrorTemplateSummary(template: "", example: e.message, totalCount: 0, firstSeen: e.firstSeen,
                                                           lastSeen: e.lastSeen, countsByTool: [:], daily: [])
            s.totalCount += e.count
            s.firstSeen = min(s.firstSeen, e.firstSeen)
            s.lastSeen = max(s.lastSeen, e.lastSeen)
            s.countsByTool[e.source, default: 0] += e.count
            summaries[id] = s
            dailyCounts[id, default: [:]][e.source, default: [:]][e.day, default: 0] += e.count
        }
        let days = data.callsPerDay.keys.sorted()
        var result: [(summary: ErrorTemplateSummary, trend: PoissonTrend?)] = []
        for (id, var s) in summaries {
            s.template = miner.templates[id]
            let bySource = dailyCounts[id] ?? [:]
            for source in bySource.keys.sorted() {
                for (day, count) in (bySource[source] ?? [:]).sorted(by: { $0.key < $1.key }) {
                    s.daily.append(.init(tool: source, day: dayText(day), count: count))
                }
            }
            var trend: PoissonTrend?
            if s.totalCount >= options.minimumTemplateCount, days.count >= 3 {
                var total: [Int: Int] = [:]
                for perDay in bySource.values { for (day, c) in perDay { total[day, default: 0] += c } }
                if let fit = try? PoissonTrend.fit(times: days.map(Double.init), counts: days.map { Double(total[$0] ?? 0) },
                                                   exposure: days.map { Double(data.callsPerDay[$0] ?? 0) }) {
                    s.trendSlope = fit.slope
                    s.trendPValue = fit.pValue
                    trend = fit
                }
            }
            result.append((s, trend))
        }
        return result.sorted { a, b in
            a.summary.totalCount != b.summary.totalCount ? a.summary.totalCount > b.summary.totalCount : a.summary.template < b.summary.template
        }
    }

    static func dayText(_ day: Int) -> String {
        let (y, m, d) = CivilDate.date(days: Int64(day))
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(y)-\(two(m))-\(two(d))"
    }
}
