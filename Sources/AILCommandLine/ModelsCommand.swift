import ArgumentParser
import Analytics
import Foundation

/// `ail models list | show | promote | diff | import`: the model registry.
public struct Models: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List, inspect, compare, promote and import registered model versions.",
        discussion: """
        The registry lives in PostgreSQL (ail_model_versions, ail_model_aliases); each version is \
        also a file models/<model>/<version>.json (models/README.md). The champion alias names \
        the version scoring uses, also installed as the SQL function ail_predict_<model>.

        Examples:
          ail models list
          ail models show tool_failure
          ail models diff tool_failure 1 2
          ail models promote tool_failure --version 1
          ail models import models/tool_failure/1.json
        """,
        subcommands: [ModelsList.self, ModelsShow.self, ModelsPromote.self, ModelsDiff.self, ModelsImport.self])
    public init() {}
}

struct ModelsList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Every version, newest first (reads the index columns only).")
    @Argument(help: "Only this model.") var model: String?
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: FormatOption

    func run() throws {
        let versions = try ModelRegistry(connection: try database.connect(), directory: nil).list(model: model)
        if output.format == .json { try JSONOutput.print(versions); return }
        guard !versions.isEmpty else { print("no model versions registered; train with: ail train --all"); return }
        var table = TextTable(["model", "version", "kind", "train rows", "eval rows", "metric", "value", "baseline", ""], numeric: [1, 3, 4, 6, 7])
        for v in versions {
            table.append([v.model, String(v.version), v.kind, String(v.trainingRows), String(v.evaluationRows), v.primaryMetric,
                          fmt(v.primaryValue), fmt(v.baselineValue), v.isChampion ? "@champion" : ""])
        }
        print(table.text)
    }
}

struct ModelsShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "A version's coefficients, evaluation, dropped terms, query, and the champion's drift.")
    @Argument(help: "The model.") var model: String
    @Option(help: "The version (default: the champion).") var version: Int?
    @Flag(help: "Skip the drift check of the champion on the most recent rows.") var noDrift = false
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: FormatOption

    func run() throws {
        let c = try database.connect()
        let reg = ModelRegistry(connection: c, directory: nil)
        let a = try reg.artifact(model, version: version)
        let isChampion = try reg.championVersion(model).map(String.init) == a.version
        let drift = isChampion && !noDrift ? try ModelDrift().check(a, connection: c) : nil
        if output.format == .json {
            var j = TrainReport.artifactSummaryJSON(a)
            j["champion"] = isChampion
            j["query"] = a.query
            j["query_checksum"] = a.queryChecksum
            j["engine_version"] = a.engineVersion
            j["calibration"] = (a.evaluation.calibration ?? []).map { ["lower": $0.lower, "upper": $0.upper, "count": $0.count,
                                                                        "mean_predicted": $0.meanPredicted ?? Double.nan, "observed_rate": $0.observedRate ?? Double.nan] }
            if let d = drift {
                j["drift"] = ["window_start": d.windowStart, "window_end": d.windowEnd, "rows": d.rows, "metric": d.metric, "recent": d.recent,
                              "at_training": d.atTraining, "recent_ece": d.recentECE ?? Double.nan, "training_ece": d.trainingECE ?? Double.nan,
                              "degraded": d.degraded, "margin": d.margin]
            }
            print(try JSONOutput.text(j, pretty: true))
            return
        }
        var lines = TrainReport.header(a)
        lines[0] += isChampion ? "  @champion" : ""
        lines.append("")
        var terms = TextTable(["term", "estimate", "std.error", "conf.low", "conf.high", "p.value"])
        for t in a.coefficients { terms.append([t.term, fmt(t.estimate), fmt(t.stdError), fmt(t.confLow), fmt(t.confHigh), pfmt(t.pValue)]) }
        lines += terms.lines
        if let cal = a.evaluation.calibration {
            lines.append("")
            lines.append("calibration (held out): bin, rows, mean predicted, observed")
            for b in cal where b.count > 0 { lines.append("  [\(fmt(b.lower)), \(fmt(b.upper)))  \(b.count)  \(fmt(b.meanPredicted))  \(fmt(b.observedRate))") }
        }
        if let d = drift {
            lines.append("")
            lines.append("drift (\(d.rows) rows \(d.windowStart) – \(d.windowEnd)): \(d.metric) \(fmt(d.recent)) vs \(fmt(d.atTraining)) at training" +
                         (d.recentECE.map { ", ECE \(fmt($0)) vs \(fmt(d.trainingECE))" } ?? "") +
                         (d.degraded ? "  DEGRADED (\(d.margin))" : "  within margin (\(d.margin))"))
        }
        lines.append("")
        lines.append("features:")
        for f in a.features { lines.append("  \(f.name) (\(f.role.rawValue)): \(f.meaning)") }
        lines.append("")
        lines.append("feature query (sha256 \(a.queryChecksum), ail \(a.engineVersion)):")
        lines.append(a.query)
        print(lines.joined(separator: "\n"))
    }
}

struct ModelsPromote: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "promote", abstract: "Make a version the champion (rollback included) and install its SQL function.")
    @Argument(help: "The model.") var model: String
    @Option(help: "The version to promote.") var version: Int
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: FormatOption

    func run() throws {
        let reg = ModelRegistry(connection: try database.connect(), directory: nil)
        let before = try reg.championVersion(model)
        try reg.promote(model, version: version)
        if output.format == .json {
            print(try JSONOutput.text(["model": model, "champion": version, "previous_champion": before.map { $0 as Any } ?? NSNull(),
                                       "sql_function": SQLScoringFunction.name(model)], pretty: true))
        } else {
            print("\(model)@champion: version \(version)" + (before.map { " (was \($0))" } ?? "") + "; SQL function \(SQLScoringFunction.name(model)) replaced")
        }
    }
}

struct ModelsDiff: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "diff", abstract: "Two versions side by side: coefficients, evaluation, dropped terms, query.")
    @Argument(help: "The model.") var model: String
    @Argument(help: "First version.") var first: Int
    @Argument(help: "Second version.") var second: Int
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: FormatOption

    func run() throws {
        let reg = ModelRegistry(connection: try database.connect(), directory: nil)
        let a = try reg.artifact(model, version: first), b = try reg.artifact(model, version: second)
        let terms = a.coefficients.map(\.term) + b.coefficients.map(\.term).filter { t in !a.coefficients.contains { $0.term == t } }
        let rows = terms.map { t -> (String, Double?, Double?) in
            (t, a.coefficients.first { $0.term == t }?.estimate, b.coefficients.first { $0.term == t }?.estimate)
        }
        let metrics = Set(a.evaluation.figures.map(\.name) + b.evaluation.figures.map(\.name)).sorted()
        func value(_ x: ModelArtifact, _ m: String) -> Double? { x.evaluation.figures.first { $0.name == m }?.value }
        if output.format == .json {
            print(try JSONOutput.text([
                "model": model, "versions": [first, second], "same_query": a.queryChecksum == b.queryChecksum,
                "terms": rows.map { ["term": $0.0, "first": $0.1 ?? Double.nan, "second": $0.2 ?? Double.nan] },
                "evaluation": metrics.map { ["metric": $0, "first": value(a, $0) ?? Double.nan, "second": value(b, $0) ?? Double.nan] },
                "windows": [["evaluation_start": a.window.evaluationStart, "evaluation_end": a.window.evaluationEnd],
                            ["evaluation_start": b.window.evaluationStart, "evaluation_end": b.window.evaluationEnd]],
                "dropped": [a.encoding.dropped.map(\.term), b.encoding.dropped.map(\.term)]], pretty: true))
            return
        }
        var lines = ["\(model): version \(first) vs \(second)" + (a.queryChecksum == b.queryChecksum ? " (same feature query)" : " (feature queries differ)")]
        var table = TextTable(["term", "v\(first)", "v\(second)"])
        for (t, x, y) in rows { table.append([t, fmt(x), fmt(y)]) }
        for m in metrics { table.append(["held-out \(m)", fmt(value(a, m)), fmt(value(b, m))]) }
        lines += table.lines
        lines.append("evaluation window: \(a.window.evaluationStart) – \(a.window.evaluationEnd) vs \(b.window.evaluationStart) – \(b.window.evaluationEnd)")
        let onlyA = Set(a.encoding.dropped.map(\.term)).subtracting(b.encoding.dropped.map(\.term)).sorted()
        let onlyB = Set(b.encoding.dropped.map(\.term)).subtracting(a.encoding.dropped.map(\.term)).sorted()
        if !onlyA.isEmpty { lines.append("dropped only in v\(first): \(onlyA.joined(separator: ", "))") }
        if !onlyB.isEmpty { lines.append("dropped only in v\(second): \(onlyB.joined(separator: ", "))") }
        print(lines.joined(separator: "\n"))
    }
}

struct ModelsImport: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import", abstract: "Register an artifact file as the model's next version (promote it to use it).")
    @Argument(help: "A models/<model>/<version>.json file.") var file: String
    @OptionGroup var registry: RegistryOptions
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: FormatOption

    func run() throws {
        let reg = ModelRegistry(connection: try database.connect(), directory: registry.directory)
        let a = try reg.importFile(URL(fileURLWithPath: file))
        if output.format == .json { print(try JSONOutput.text(["model": a.model, "version": a.version, "file": file], pretty: true)) }
        else { print("\(a.model) version \(a.version) imported from \(file); promote it with: ail models promote \(a.model) --version \(a.version)") }
    }
}
