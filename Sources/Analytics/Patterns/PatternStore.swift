import Foundation
import Statistics
import Store

/// Records a pattern run in the tables of migration 022 (`pattern_runs`, `pattern_findings`,
/// `error_templates`, `error_template_daily`), in one transaction: a run is stored whole or not at all.
public enum PatternStore {
    /// Writes `result` and returns its run id.
    @discardableResult
    public static func record(_ result: PatternAnalysisResult, options: PatternAnalysisOptions, startedAt: Date,
                              connection: Connection) throws -> Int {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        func json<T: Encodable>(_ value: T) throws -> SQLValue { .json(String(decoding: try encoder.encode(value), as: UTF8.self)) }
        let parameters: [String: String] = [
            "max_itemset_length": String(options.maxItemsetLength), "contrast_max_length": String(options.contrastMaxLength),
            "sequence_max_length": String(options.sequenceMaxLength), "min_confidence": String(options.minConfidence),
            "target": options.target.rawValue, "min_group": String(options.minimumGroup), "confidence_level": String(options.level),
            "session_success": "at least one reported outcome and no failed interaction or tool call",
            "satisfied": "end rating (else mean feedback rating) >= 4",
        ]
        return try connection.transaction {
            let run = try connection.execute("""
                INSERT INTO pattern_runs (started_at, finished_at, since, min_support, fdr, sessions_count, tests_count, discoveries_count, parameters)
                VALUES ($1, now(), $2, $3, $4, $5, $6, $7, $8::jsonb) RETURNING run_id
                """, [.timestamp(startedAt), options.since.map { .timestamp($0) } ?? .null, .double(options.minSupport),
                      .double(options.fdr), .int(result.sessions), .int(result.testsCount), .int(result.discoveries),
                      try json(parameters)])
            guard let runID = try run.first?.value(0, as: Int.self) else {
                throw StoreError(code: .invalidArgument, message: "pattern_runs returned no run id")
            }
            try connection.execute("""
                INSERT INTO pattern_findings (run_id, kind, outcome, pattern, consequent, support, n, n_with, rate_with, rate_without,
                                              effect, effect_measure, conf_low, conf_high, log_odds_ratio, p_value, q_value,
                                              significant, method, details)
                SELECT $1, kind, outcome, pattern, consequent, support, n, n_with, rate_with, rate_without, effect, effect_measure,
                       conf_low, conf_high, log_odds_ratio, p_value, q_value, significant, method, coalesce(details, '{}')
                  FROM jsonb_to_recordset($2::jsonb) AS x(kind text, outcome text, pattern text[], consequent text[],
                       support float8, n int, n_with int, rate_with float8, rate_without float8, effect float8,
                       effect_measure text, conf_low float8, conf_high float8, log_odds_ratio float8, p_value float8,
                       q_value float8, significant boolean, method text, details jsonb)
                """, [.int(runID), try json(result.findings)])
            for t in result.errorTemplates {
                let inserted = try connection.execute("""
                    INSERT INTO error_templates (run_id, template, example, total_count, first_seen, last_seen, trend_slope, trend_p_value, trend_q_value)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id
                    """, [.int(runID), .text(t.template), .text(t.example), .int(t.totalCount), .timestamp(t.firstSeen),
                          .timestamp(t.lastSeen), SQLValue(t.trendSlope), SQLValue(t.trendPValue), SQLValue(t.trendQValue)])
                guard let templateID = try inserted.first?.value(0, as: Int.self) else { continue }
                try connection.execute("""
                    INSERT INTO error_template_daily (template_id, tool_name, day, count)
                    SELECT $1, tool, day::date, count FROM jsonb_to_recordset($2::jsonb) AS x(tool text, day text, count int)
                    """, [.int(templateID), try json(t.daily)])
            }
            return runID
        }
    }
}
