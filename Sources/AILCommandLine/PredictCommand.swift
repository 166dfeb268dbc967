import ArgumentParser
import Analytics
import Foundation

/// `ail predict MODEL --input JSON | --since DATE`: score one case, or stored rows in bulk.
public struct Predict: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Score one case (--input) or stored rows in bulk (--since) with a model's champion.",
        discussion: """
        --input takes the feature values as a JSON object (text for categorical features, numbers \
        or true/false for numeric ones; `ail models show MODEL` lists them) and prints the \
        probability (or value) with a 95% interval (delta method on the linear predictor) and the \
        top contributing terms. A level never seen in training is scored at the reference level \
        and flagged. --since scores every stored row from that date into ail_model_predictions; \
        rows already scored by the same version add nothing.

        Examples:
          ail predict tool_failure --input '{"tool_name": "run_tests", "task_type": "bugfix", \\
              "ctx_diagnostics": 1, "ctx_open_files": 1, "ctx_git_status": 0, \\
              "ctx_recent_changes": 0, "parameter_count": 1, "recent_failures": 0}'
          ail predict code_acceptance --since 2026-03-01
        """)

    @Argument(help: "The model.") var model: String
    @Option(help: ArgumentHelp("Feature values as a JSON object.", valueName: "JSON")) var input: String?
    @Option(help: ArgumentHelp("Score stored rows from this date or time on.", valueName: "DATE")) var since: String?
    @Option(help: "The version (default: the champion).") var version: Int?
    @Option(help: "Contributing terms to show.") var top: Int = 3
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: FormatOption

    public init() {}

    public func validate() throws {
        guard (input != nil) != (since != nil) else { throw ValidationError("give exactly one of --input JSON (one case) or --since DATE (stored rows)") }
        guard top >= 0 else { throw ValidationError("--top must be 0 or more; got \(top)") }
        _ = try catalogSpec(model)
        if let since { _ = try parseTime(since, option: "--since") }
    }

    public func run() throws {
        let connection = try database.connect()
        let artifact = try ModelRegistry(connection: connection, directory: nil).artifact(model, version: version)
        if let since {
            let report = try BulkScoring.score(artifact, connection: connection, since: try parseTime(since, option: "--since"))
            if output.format == .json { try JSONOutput.print(report); return }
            print("\(report.model) version \(report.version): \(report.rows) rows from \(since), \(report.scored) scored, " +
                  "\(report.incomplete) missing a feature the version uses, \(report.inserted) new predictions in ail_model_predictions")
            return
        }
        let values = try PredictInput.parse(input ?? "", artifact: artifact)
        let p = try artifact.predict(values)
        if output.format == .json {
            print(try JSONOutput.text([
                "model": artifact.model, "version": artifact.version, "kind": artifact.kind.rawValue,
                "value": p.value, "conf_low": p.confLow, "conf_high": p.confHigh, "linear_predictor": p.linearPredictor,
                "std_error": p.standardError, "unseen_levels": p.unseenLevels,
                "contributions": p.contributions.prefix(top).map { ["feature": $0.feature, "value": $0.value] }], pretty: true))
            return
        }
        let what = artifact.kind == .logistic ? "probability" : "expected \(artifact.response)"
        var lines = ["\(artifact.model) version \(artifact.version): \(what) \(fmt(p.value)) (95% CI \(fmt(p.confLow)) – \(fmt(p.confHigh)))"]
        for u in p.unseenLevels { lines.append("  unseen level \(u): scored at the reference level") }
        for c in p.contributions.prefix(top) {
            lines.append("  \(c.feature): \(c.value >= 0 ? "+" : "")\(fmt(c.value)) on the \(artifact.kind == .logistic ? "log-odds" : "prediction")")
        }
        print(lines.joined(separator: "\n"))
    }
}

/// `--input` JSON → feature values, with a field-level error for anything that does not fit.
enum PredictInput {
    static func parse(_ text: String, artifact: ModelArtifact) throws -> FeatureValues {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) as? [String: Any] else {
            throw InputError("--input must be a JSON object of feature values, e.g. {\"\(artifact.features.first?.name ?? "feature")\": …}")
        }
        var values = FeatureValues()
        for (key, value) in object.sorted(by: { $0.key < $1.key }) {
            guard let f = artifact.features.first(where: { $0.name == key }) else {
                throw InputError("--input: '\(key)' is not a feature of \(artifact.model); its features: \(artifact.features.map(\.name).joined(separator: ", "))")
            }
            if value is NSNull { continue }
            if f.isNumeric {
                if let n = value as? NSNumber { values.numbers[key] = n.doubleValue }   // true/false arrive as 1/0
                else if let b = value as? Bool { values.numbers[key] = b ? 1 : 0 }
                else { throw InputError("--input: '\(key)' must be a number (or true/false); got \(value)") }
            } else {
                guard let s = value as? String else { throw InputError("--input: '\(key)' must be text (a level such as '\(artifact.encoding.categorical(key)?.reference ?? "…")'); got \(value)") }
                values.text[key] = s
            }
        }
        return values
    }
}
