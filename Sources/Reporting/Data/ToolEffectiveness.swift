import Foundation
import Statistics
import Store

/// One tool's record in a window: calls, successes, the Wilson 95% interval of its success
/// rate, and its median execution time. Ranked by the interval's lower bound, as the
/// `tool_effectiveness_ranking` view ranks all-time data, so a tool used twice never tops it.
public struct ToolEffectiveness: Sendable, Equatable {
    public var rank: Int
    public var toolName: String
    public var calls: Int, successes: Int
    public var interval: WilsonScoreInterval
    public var medianTimeMs: Double?

    public var successRate: Double { interval.rate }

    /// Every tool called in `window`, best first (ties: more calls first, then by name).
    public static func read(_ connection: Connection, window: DayWindow, level: Double = 0.95) throws -> [ToolEffectiveness] {
        let sql = """
            SELECT tool_name, count(*), count(*) FILTER (WHERE success),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY execution_time_ms)
              FROM tool_usage_analytics WHERE created_at >= $1::date AND created_at < $2::date
             GROUP BY tool_name
            """
        var tools = try connection.execute(sql, window.parameters).map { row in
            let calls = try row.value(1, as: Int.self) ?? 0, ok = try row.value(2, as: Int.self) ?? 0
            return ToolEffectiveness(rank: 0, toolName: row.text(0) ?? "", calls: calls, successes: ok,
                                     interval: WilsonScoreInterval(successes: ok, trials: calls, level: level),
                                     medianTimeMs: try row.value(3, as: Double.self))
        }
        tools.sort { a, b in
            if a.interval.lower != b.interval.lower { return a.interval.lower > b.interval.lower }
            if a.calls != b.calls { return a.calls > b.calls }
            return a.toolName < b.toolName
        }
        for i in tools.indices { tools[i].rank = i + 1 }
        return tools
    }
}

/// Acceptance of generated code in a window, per generation type and language, with the
/// Wilson 95% interval of the acceptance rate among decided generations.
public struct CodeGenerationGroup: Sendable, Equatable {
    public var generationType: String
    /// NULL languages are grouped as "(not reported)".
    public var language: String
    public var generations: Int, decided: Int, accepted: Int
    public var interval: WilsonScoreInterval
    public var meanLinesGenerated: Double?

    public var acceptanceRate: Double? { decided > 0 ? interval.rate : nil }

    /// Every (type, language) pair seen in `window`, most generations first.
    public static func read(_ connection: Connection, window: DayWindow, level: Double = 0.95) throws -> [CodeGenerationGroup] {
        let sql = """
            SELECT generation_type, coalesce(language, '(not reported)'), count(*), count(accepted),
                   count(*) FILTER (WHERE accepted), avg(lines_generated)::float8
              FROM code_generation_events WHERE created_at >= $1::date AND created_at < $2::date
             GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2
            """
        return try connection.execute(sql, window.parameters).map { row in
            let decided = try row.value(3, as: Int.self) ?? 0, accepted = try row.value(4, as: Int.self) ?? 0
            return CodeGenerationGroup(generationType: row.text(0) ?? "", language: row.text(1) ?? "",
                                       generations: try row.value(2, as: Int.self) ?? 0, decided: decided, accepted: accepted,
                                       interval: WilsonScoreInterval(successes: accepted, trials: decided, level: level),
                                       meanLinesGenerated: try row.value(5, as: Double.self))
        }
    }
}
