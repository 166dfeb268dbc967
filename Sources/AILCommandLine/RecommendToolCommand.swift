import ArgumentParser
import Analytics
import Foundation

/// `ail recommend-tool --task TYPE [--context JSON] [--top N]`: tools ranked by predicted success.
public struct RecommendTool: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "recommend-tool",
        abstract: "Rank tools for a task by predicted success (tool_failure champion, partially pooled).",
        discussion: """
        Each tool's success is predicted by the tool_failure champion for the task and context, \
        then shrunk toward the overall rate in proportion to how rarely the tool was used \
        (empirical-Bayes beta-binomial), so a tool used twice never tops the list; tools with \
        fewer than 30 training calls are marked uncertain. --context gives numeric features, \
        e.g. {"ctx_diagnostics": 1}; context types not given count as not reported.

        Examples:
          ail recommend-tool --task bugfix
          ail recommend-tool --task testing --context '{"ctx_diagnostics": 1}' --top 3 --format json
        """)

    @Option(help: "The task type (feature, bugfix, refactor, …).") var task: String
    @Option(help: ArgumentHelp("Context as a JSON object of numeric features.", valueName: "JSON")) var context: String?
    @Option(help: "How many tools to list.") var top: Int = 5
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: FormatOption

    public init() {}

    public func validate() throws {
        guard top >= 1 else { throw ValidationError("--top must be at least 1; got \(top)") }
        guard !task.isEmpty else { throw ValidationError("--task must name a task type") }
    }

    public func run() throws {
        let connection = try database.connect()
        guard let model = try ModelRegistry(connection: connection, directory: nil).champion("tool_failure") else {
            throw ModelsError(.unknownModel, "tool_failure has no champion; train it with: ail train tool_failure")
        }
        try ToolRecommender.checkTask(task, model)
        let numbers = try context.map { try Self.contextNumbers($0, model: model) } ?? [:]
        let (tools, notes) = try ToolRecommender().recommend(model, task: task, context: numbers, top: top)
        if output.format == .json {
            print(try JSONOutput.text(["task": task, "model_version": model.version, "notes": notes,
                                       "tools": tools.map { ["rank": $0.rank, "tool": $0.tool, "success": $0.success, "conf_low": $0.confLow,
                                                            "conf_high": $0.confHigh, "model_success": $0.modelSuccess,
                                                            "model_conf_low": $0.modelConfLow, "model_conf_high": $0.modelConfHigh,
                                                            "calls": $0.calls, "uncertain": $0.uncertain, "why": $0.why] }], pretty: true))
            return
        }
        print("Tools for task '\(task)' by predicted success (tool_failure version \(model.version)):")
        let width = tools.map(\.tool.count).max() ?? 0
        for t in tools {
            print("  \(t.rank). \(t.tool.padding(toLength: width, withPad: " ", startingAt: 0)) \(String(format: "%.3f", t.success)) (95% \(String(format: "%.3f", t.confLow))–\(String(format: "%.3f", t.confHigh)), \(t.calls) calls)\(t.uncertain ? " uncertain" : "")  why: \(t.why.joined(separator: "; "))")
        }
        for n in notes { print("  note: \(n)") }
    }

    /// `--context` as numbers: a JSON object whose keys are the model's context features (an
    /// unknown key is refused with the list) and whose values are numbers or true/false.
    static func contextNumbers(_ text: String, model: ModelArtifact) throws -> [String: Double] {
        let example = ToolRecommender.contextFeatures(model).first ?? "feature"
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) as? [String: Any] else {
            throw InputError("--context must be a JSON object of numeric features, e.g. {\"\(example)\": 1}")
        }
        try ToolRecommender.checkContext(keys: object.keys, model)
        var numbers: [String: Double] = [:]
        for (key, value) in object.sorted(by: { $0.key < $1.key }) where !(value is NSNull) {
            // JSONSerialization gives true/false as NSNumber too: 1/0
            guard let n = value as? NSNumber, !(value is String), n.doubleValue.isFinite else {
                throw InputError("--context: '\(key)' must be a number (or true/false); got \(value)")
            }
            numbers[key] = n.doubleValue
        }
        return numbers
    }
}
