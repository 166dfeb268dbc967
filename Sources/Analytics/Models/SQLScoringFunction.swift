/// The SQL text that installs a version as plain SQL functions, so dashboards and reports score
/// inside the database with no extension:
///
/// - `ail_predict_<model>(p_<feature> …)`: one argument per feature of the model (text for
///   categorical features, double precision for numeric ones, in the model's feature order);
///   NULL when a feature the version uses is NULL; an unseen level scores at the reference.
/// - `ail_predict_<model>_row(row_key text)`: computes the features of a stored row with the
///   model's own query and scores them.
///
/// The linear predictor is written as `β₀ + β₁·x₁ + …`, left to right with the coefficients as
/// float8 literals in shortest round-trip form, and each design value with the same arithmetic as
/// the Swift scorer, so both give the same double (exp is libm's on both sides). PostgreSQL's
/// exp raises an error on overflow or underflow where IEEE gives ∞ or 0: the two ends are written
/// out as the values the Swift expression `1 / (1 + exp(−η))` takes there (0 and 1).
public enum SQLScoringFunction {
    /// `ail_predict_<model>`.
    public static func name(_ model: String) -> String { "ail_predict_" + model }

    /// The argument types of the feature form, in order.
    public static func argumentTypes(_ a: ModelArtifact) -> [String] {
        a.features.map { $0.isNumeric ? "double precision" : "text" }
    }

    /// Statements that replace both functions with `a`'s (run them in one transaction).
    public static func installStatements(_ a: ModelArtifact) throws -> [String] {
        let fn = name(a.model)
        let args = a.features.map { "p_\($0.name) \($0.isNumeric ? "double precision" : "text")" }.joined(separator: ", ")
        var eta = literal(a.coefficients[0].estimate)
        for (j, c) in a.encoding.columns.enumerated() {
            eta += "\n        + \(literal(a.coefficients[j + 1].estimate)) * \(designValue(c, a.encoding))"
        }
        let used = a.encoding.usedFeatures.map { "p_\($0) IS NULL" }
        let value = a.kind == .logistic
            ? "CASE WHEN eta < -709.782712893384 THEN 0::float8 WHEN eta > 700 THEN 1::float8 ELSE 1::float8 / (1::float8 + exp(-eta)) END"
            : "eta"
        let body = """
            SELECT CASE WHEN \(used.isEmpty ? "false" : used.joined(separator: " OR ")) THEN NULL::float8 ELSE \(value) END
              FROM (SELECT \(eta) AS eta) AS linear_predictor
            """
        guard !a.query.contains("$ail_model$") else {
            throw ModelsError(.badArtifact, "the feature query of \(a.model) contains the quoting tag $ail_model$")
        }
        let rowArgs = a.features.map { "q.\($0.name)" + ($0.isNumeric ? "::float8" : "::text") }.joined(separator: ", ")
        let comment = "\(a.model) version \(a.version): \(a.summary) (ail \(a.engineVersion); installed by ail models promote)"
        return [
            "DROP FUNCTION IF EXISTS \(fn)_row(text)",
            "DROP FUNCTION IF EXISTS \(fn)(\(argumentTypes(a).joined(separator: ", ")))",
            "CREATE FUNCTION \(fn)(\(args)) RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $ail_model$\n\(body)\n$ail_model$",
            "CREATE FUNCTION \(fn)_row(row_key text) RETURNS double precision LANGUAGE sql STABLE AS $ail_model$\nSELECT \(fn)(\(rowArgs))\n  FROM (\n\(a.query)\n) AS q WHERE q.row_key = $1\n$ail_model$",
            "COMMENT ON FUNCTION \(fn)(\(argumentTypes(a).joined(separator: ", "))) IS \(quoted(comment))",
        ]
    }

    static func designValue(_ c: DesignColumn, _ e: FeatureEncoding) -> String {
        let x = "((p_\(c.numeric ?? c.feature) - \(literal(c.center))) / \(literal(c.scale)))"
        let matches = levelCondition(c.feature, c.level ?? "", e)
        switch c.kind {
        case .level: return "(CASE WHEN \(matches) THEN 1::float8 ELSE 0::float8 END)"
        case .numeric: return x
        case .slope: return "(CASE WHEN \(matches) THEN \(x) ELSE 0::float8 END)"
        }
    }

    /// The SQL condition "the value of `feature` is scored as `level`": equality for a level
    /// with its own column; for the reference, also any value without a column of its own.
    static func levelCondition(_ feature: String, _ level: String, _ e: FeatureEncoding) -> String {
        guard let c = e.categorical(feature), level == c.reference else { return "p_\(feature) = \(quoted(level))" }
        let own = c.levels.filter { $0 != c.reference && !c.scoredAtReference.contains($0) }
        return own.isEmpty ? "p_\(feature) IS NOT NULL" : "p_\(feature) NOT IN (\(own.map(quoted).joined(separator: ", ")))"
    }

    /// A double as a float8 literal that reads back as the same double.
    static func literal(_ x: Double) -> String { "'\(x)'::float8" }

    /// A string literal with quotes doubled.
    static func quoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "''") + "'" }
}
