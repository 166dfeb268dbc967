import Foundation
import Primitives

/// The effects a simulated workload plants, read from a scenario file (JSON, snake_case keys).
///
/// Every field has a default (`Scenario.default`), so a scenario file only lists what it changes.
public struct Scenario: Codable, Sendable, Equatable {
    /// A tool with its usage weight, failure rate and log-normal latency.
    public struct Tool: Codable, Sendable, Equatable {
        public var name: String
        public var weight: Double
        public var failureRate: Double
        /// Median latency in milliseconds (the log-normal's e^μ).
        public var medianLatencyMs: Double
        /// σ of log latency.
        public var latencySigma: Double

        public init(name: String, weight: Double, failureRate: Double, medianLatencyMs: Double, latencySigma: Double) {
            self.name = name
            self.weight = weight
            self.failureRate = failureRate
            self.medianLatencyMs = medianLatencyMs
            self.latencySigma = latencySigma
        }
    }

    /// The failure rate of `tool` in sessions that have (`present == true`) or lack a context event of `contextType`.
    public struct ToolContextEffect: Codable, Sendable, Equatable {
        public var tool: String
        public var contextType: String
        public var present: Bool
        public var failureRate: Double

        public init(tool: String, contextType: String, present: Bool, failureRate: Double) {
            self.tool = tool
            self.contextType = contextType
            self.present = present
            self.failureRate = failureRate
        }
    }

    /// Logistic model of acceptance: logit p = logit(base) + Σ log(odds ratios) + log(per10)·(lines − reference)/10.
    public struct Acceptance: Codable, Sendable, Equatable {
        /// Probability of acceptance at the reference levels (first generation type and language, reference size).
        public var baseProbability: Double
        public var generationTypeOddsRatios: [String: Double]
        public var languageOddsRatios: [String: Double]
        /// Odds ratio for every 10 lines above `referenceLines`.
        public var oddsRatioPer10Lines: Double
        public var referenceLines: Double
        /// Share of generations never decided (`accepted` null).
        public var undecidedRate: Double
    }

    /// Linear model of the end-of-session rating before rounding and clamping to 1...5.
    public struct Satisfaction: Codable, Sendable, Equatable {
        public var baseRating: Double
        /// Added per failed tool call in the session.
        public var perToolFailure: Double
        /// Added per second of mean tool latency in the session.
        public var perSecondMeanLatency: Double
        /// Added per 30 days since the start (the satisfaction trend).
        public var trendPer30Days: Double
        public var noiseStandardDeviation: Double
    }

    /// From `fromDay` (0-based) on, `tool`'s latency is multiplied by `factor`.
    public struct LatencyRegression: Codable, Sendable, Equatable {
        public var tool: String
        public var fromDay: Int
        public var factor: Double
    }

    /// Confounding through session length (off unless a scenario sets it): every step above the
    /// mean (`steps_per_session`) adds `failureLogOddsPerStep` to the log odds of each tool call's
    /// failure and `ratingPerStep` to the end-of-session rating. With
    /// `satisfaction.per_tool_failure` 0, failed tool calls and low ratings then go together only
    /// because both follow session length: an analysis adjusted for length should find no effect.
    /// Changes no random draw, so a scenario without it produces the same bytes as before.
    public struct SessionLengthConfounding: Codable, Sendable, Equatable {
        public var failureLogOddsPerStep: Double
        public var ratingPerStep: Double

        public init(failureLogOddsPerStep: Double, ratingPerStep: Double) {
            self.failureLogOddsPerStep = failureLogOddsPerStep
            self.ratingPerStep = ratingPerStep
        }
    }

    /// A group of developers with its own acceptance odds and rating shift.
    public struct Cohort: Codable, Sendable, Equatable {
        public var name: String
        public var share: Double
        public var acceptanceOddsRatio: Double
        public var ratingShift: Double
        /// Weights of the session task types (``Scenario/taskTypes``) for this cohort's sessions;
        /// absent: the scenario's common mix (3, 3, 2, 1, 2). Cohorts with different mixes make a
        /// raw cohort difference that the task mix explains.
        public var taskTypeWeights: [String: Double]?
    }

    /// What a session's task type does to its outcomes (absent: nothing).
    public struct TaskTypeEffect: Codable, Sendable, Equatable {
        /// Multiplies the odds of accepting each code generation in sessions of this task type.
        public var acceptanceOddsRatio: Double?
        /// Added to the session's rating before rounding.
        public var ratingShift: Double?
    }

    /// The session task types the simulator draws from, and their common weights.
    public static let taskTypes = ["feature", "bugfix", "refactor", "database_design", "testing"]
    public static let defaultTaskTypeWeights: [Double] = [3, 3, 2, 1, 2]

    public var name: String
    /// First simulated day, `YYYY-MM-DD` (UTC).
    public var startDate: String
    /// Mean sessions per developer on a weekday (Poisson).
    public var sessionsPerWeekday: Double
    /// Multiplier of the session rate on Saturdays and Sundays.
    public var weekendFactor: Double
    /// Mean steps (interactions) per session.
    public var stepsPerSession: Double
    /// Weights of the interaction types: user_query, tool_call, code_generation, validation.
    public var interactionWeights: [String: Double]
    public var models: [String]
    public var tools: [Tool]
    public var toolContextEffects: [ToolContextEffect]
    /// Probability that a session reports a context event of each type.
    public var contextProbabilities: [String: Double]
    public var generationTypeWeights: [String: Double]
    public var languageWeights: [String: Double]
    public var acceptance: Acceptance
    public var satisfaction: Satisfaction
    public var latencyRegression: LatencyRegression?
    public var cohorts: [Cohort]
    /// Effects of the session's task type on acceptance and rating, by task type (absent: none).
    public var taskTypeEffects: [String: TaskTypeEffect]?
    /// Probability of a mid-session feedback event and of a learning event per session.
    public var feedbackProbability: Double
    public var learningProbability: Double
    /// Session-length confounding (see ``SessionLengthConfounding``); nil in the default scenario.
    public var sessionLength: SessionLengthConfounding? = nil

    /// The default scenario: a handful of clear effects (also in `scenarios/default.json`).
    public static let `default` = Scenario(
        name: "default",
        startDate: "2026-01-05",
        sessionsPerWeekday: 1.5,
        weekendFactor: 0.2,
        stepsPerSession: 10,
        interactionWeights: ["user_query": 0.15, "tool_call": 0.55, "code_generation": 0.2, "validation": 0.1],
        models: ["claude-sonnet-4", "gpt-4.1", "gemini-2.5-pro"],
        tools: [
            Tool(name: "grep", weight: 0.22, failureRate: 0.03, medianLatencyMs: 120, latencySigma: 0.5),
            Tool(name: "read_file", weight: 0.25, failureRate: 0.02, medianLatencyMs: 40, latencySigma: 0.4),
            Tool(name: "edit_file", weight: 0.18, failureRate: 0.08, medianLatencyMs: 200, latencySigma: 0.5),
            Tool(name: "bash", weight: 0.15, failureRate: 0.15, medianLatencyMs: 900, latencySigma: 0.8),
            Tool(name: "run_tests", weight: 0.12, failureRate: 0.20, medianLatencyMs: 4000, latencySigma: 0.6),
            Tool(name: "web_search", weight: 0.08, failureRate: 0.10, medianLatencyMs: 1500, latencySigma: 0.5),
        ],
        toolContextEffects: [
            ToolContextEffect(tool: "run_tests", contextType: "diagnostics", present: true, failureRate: 0.45),
            ToolContextEffect(tool: "edit_file", contextType: "open_files", present: false, failureRate: 0.25),
        ],
        contextProbabilities: ["open_files": 0.7, "git_status": 0.5, "recent_changes": 0.3, "diagnostics": 0.25],
        generationTypeWeights: ["function": 0.35, "class": 0.1, "test": 0.25, "migration": 0.1, "config": 0.1, "other": 0.1],
        languageWeights: ["swift": 0.4, "python": 0.25, "sql": 0.15, "typescript": 0.2],
        acceptance: Acceptance(
            baseProbability: 0.65,
            generationTypeOddsRatios: ["function": 1, "class": 0.8, "test": 2.0, "migration": 0.4, "config": 1.2, "other": 1],
            languageOddsRatios: ["swift": 1, "python": 1.3, "sql": 0.7, "typescript": 1],
            oddsRatioPer10Lines: 0.85,
            referenceLines: 20,
            undecidedRate: 0.05),
        satisfaction: Satisfaction(baseRating: 4.3, perToolFailure: -0.3, perSecondMeanLatency: -0.15,
                                   trendPer30Days: -0.2, noiseStandardDeviation: 0.5),
        latencyRegression: LatencyRegression(tool: "web_search", fromDay: 60, factor: 2.0),
        cohorts: [
            Cohort(name: "platform", share: 0.5, acceptanceOddsRatio: 1.0, ratingShift: 0),
            Cohort(name: "product", share: 0.5, acceptanceOddsRatio: 0.6, ratingShift: -0.3),
        ],
        feedbackProbability: 0.2,
        learningProbability: 0.3)

    /// Reads a scenario file; absent keys take the default's values.
    public static func load(from url: URL) throws -> Scenario {
        try decode(Data(contentsOf: url))
    }

    /// Decodes scenario JSON over the default: objects merge key by key at every depth (so
    /// `{"acceptance": {"base_probability": 0.5}}` changes only that value), lists replace the
    /// default's whole list, and `"latency_regression": null` removes the regression.
    public static func decode(_ data: Data) throws -> Scenario {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let base = try JSONSerialization.jsonObject(with: encoder.encode(Scenario.default)) as? [String: Any] ?? [:]
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw ScenarioError(message: "not valid JSON (\(error.localizedDescription))")
        }
        guard let overrides = parsed as? [String: Any] else {
            throw ScenarioError(message: "a scenario file holds one JSON object")
        }
        let merged = try merge(base, overrides, path: "")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let scenario: Scenario
        do {
            scenario = try decoder.decode(Scenario.self, from: JSONSerialization.data(withJSONObject: merged))
        } catch let error as DecodingError {
            throw ScenarioError(decoding: error)
        }
        try scenario.validate()
        return scenario
    }

    /// Objects whose keys are fixed by the scenario's structure (others, like weight maps, take any key).
    private static let structuredObjects: Set<String> = ["", "acceptance", "satisfaction", "latency_regression"]

    /// Top-level keys whose default is absent (nil), so the default's JSON does not list them.
    private static let optionalKeys: Set<String> = ["latency_regression", "session_length", "task_type_effects"]

    private static func merge(_ base: [String: Any], _ overrides: [String: Any], path: String) throws -> [String: Any] {
        var result = base
        for key in overrides.keys.sorted() {
            let value = overrides[key]!
            let keyPath = path.isEmpty ? key : "\(path).\(key)"
            if structuredObjects.contains(path), base[key] == nil, !(path.isEmpty && optionalKeys.contains(key)) {
                throw ScenarioError(message: "unknown scenario key \"\(keyPath)\"")
            }
            if let inner = value as? [String: Any], let baseInner = base[key] as? [String: Any] {
                result[key] = try merge(baseInner, inner, path: keyPath)
            } else {
                result[key] = value
            }
        }
        return result
    }

    /// JSON text of the scenario (snake_case keys, sorted), as written in the truth file.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    /// Checks probabilities, weights and names.
    public func validate() throws {
        func probability(_ p: Double, _ what: String) throws {
            guard p >= 0 && p <= 1 else { throw ScenarioError(message: "\(what) must be in 0...1, got \(p)") }
        }
        guard TimestampText.seconds(rfc3339: startDate + "T00:00:00Z") != nil else {
            throw ScenarioError(message: "start_date must be YYYY-MM-DD, got \"\(startDate)\"")
        }
        func weights(_ values: [Double], _ what: String) throws {
            guard values.allSatisfy({ $0 >= 0 && $0.isFinite }), values.reduce(0, +) > 0 else {
                throw ScenarioError(message: "\(what) must be finite, non-negative and not all zero, got \(values)")
            }
        }
        func positive(_ value: Double, _ what: String) throws {
            guard value > 0 && value.isFinite else { throw ScenarioError(message: "\(what) must be positive and finite, got \(value)") }
        }
        func nonNegative(_ value: Double, _ what: String) throws {
            guard value >= 0 && value.isFinite else { throw ScenarioError(message: "\(what) must be non-negative and finite, got \(value)") }
        }
        try nonNegative(sessionsPerWeekday, "sessions_per_weekday")
        try nonNegative(weekendFactor, "weekend_factor")
        try positive(stepsPerSession, "steps_per_session")
        guard !models.isEmpty else { throw ScenarioError(message: "models must not be empty") }
        guard !tools.isEmpty else { throw ScenarioError(message: "tools must not be empty") }
        for tool in tools {
            try probability(tool.failureRate, "tools[\(tool.name)].failure_rate")
            try positive(tool.medianLatencyMs, "tools[\(tool.name)].median_latency_ms")
            try nonNegative(tool.latencySigma, "tools[\(tool.name)].latency_sigma")
        }
        try weights(tools.map(\.weight), "tools[].weight")
        guard Set(tools.map(\.name)).count == tools.count else { throw ScenarioError(message: "tools lists a tool name twice") }
        try weights(Array(interactionWeights.values), "interaction_weights")
        try weights(Array(generationTypeWeights.values), "generation_type_weights")
        try weights(Array(languageWeights.values), "language_weights")
        for (type, ratio) in acceptance.generationTypeOddsRatios {
            guard GenerationType(rawValue: type) != nil else { throw ScenarioError(message: "acceptance.generation_type_odds_ratios names unknown generation type \"\(type)\"") }
            try positive(ratio, "acceptance.generation_type_odds_ratios[\(type)]")
        }
        for (language, ratio) in acceptance.languageOddsRatios {
            try positive(ratio, "acceptance.language_odds_ratios[\(language)]")
        }
        try positive(acceptance.oddsRatioPer10Lines, "acceptance.odds_ratio_per10_lines")
        try nonNegative(acceptance.referenceLines, "acceptance.reference_lines")
        guard acceptance.baseProbability > 0 && acceptance.baseProbability < 1 else {
            throw ScenarioError(message: "acceptance.base_probability must be strictly between 0 and 1 (it is a log-odds baseline), got \(acceptance.baseProbability)")
        }
        try nonNegative(satisfaction.noiseStandardDeviation, "satisfaction.noise_standard_deviation")
        for value in [satisfaction.baseRating, satisfaction.perToolFailure, satisfaction.perSecondMeanLatency, satisfaction.trendPer30Days]
        where !value.isFinite {
            throw ScenarioError(message: "satisfaction values must be finite")
        }
        if let r = latencyRegression {
            try positive(r.factor, "latency_regression.factor")
            guard r.fromDay >= 0 else { throw ScenarioError(message: "latency_regression.from_day must be 0 or more, got \(r.fromDay)") }
        }
        try weights(cohorts.map(\.share), "cohorts[].share")
        for effect in toolContextEffects {
            try probability(effect.failureRate, "tool_context_effects[\(effect.tool)].failure_rate")
            guard tools.contains(where: { $0.name == effect.tool }) else {
                throw ScenarioError(message: "tool_context_effects names unknown tool \"\(effect.tool)\"")
            }
            guard ContextType(rawValue: effect.contextType) != nil else {
                throw ScenarioError(message: "tool_context_effects names unknown context type \"\(effect.contextType)\"")
            }
        }
        for (type, p) in contextProbabilities {
            guard ContextType(rawValue: type) != nil else { throw ScenarioError(message: "unknown context type \"\(type)\"") }
            try probability(p, "context_probabilities[\(type)]")
        }
        for type in generationTypeWeights.keys where GenerationType(rawValue: type) == nil {
            throw ScenarioError(message: "unknown generation type \"\(type)\"")
        }
        for type in interactionWeights.keys where InteractionType(rawValue: type) == nil {
            throw ScenarioError(message: "unknown interaction type \"\(type)\"")
        }
        try probability(acceptance.baseProbability, "acceptance.base_probability")
        try probability(acceptance.undecidedRate, "acceptance.undecided_rate")
        try probability(feedbackProbability, "feedback_probability")
        try probability(learningProbability, "learning_probability")
        guard !cohorts.isEmpty, cohorts.allSatisfy({ $0.share >= 0 && $0.acceptanceOddsRatio > 0 }) else {
            throw ScenarioError(message: "cohorts need non-negative shares and positive odds ratios")
        }
        for cohort in cohorts {
            guard let mix = cohort.taskTypeWeights else { continue }
            for type in mix.keys where !Scenario.taskTypes.contains(type) {
                throw ScenarioError(message: "cohorts[\(cohort.name)].task_type_weights names unknown task type \"\(type)\" (known: \(Scenario.taskTypes.joined(separator: ", ")))")
            }
            try weights(Scenario.taskTypes.map { mix[$0] ?? 0 }, "cohorts[\(cohort.name)].task_type_weights")
        }
        for (type, effect) in taskTypeEffects ?? [:] {
            guard Scenario.taskTypes.contains(type) else {
                throw ScenarioError(message: "task_type_effects names unknown task type \"\(type)\" (known: \(Scenario.taskTypes.joined(separator: ", ")))")
            }
            if let ratio = effect.acceptanceOddsRatio { try positive(ratio, "task_type_effects[\(type)].acceptance_odds_ratio") }
            if let shift = effect.ratingShift, !shift.isFinite { throw ScenarioError(message: "task_type_effects[\(type)].rating_shift must be finite") }
        }
        if let c = sessionLength, !(c.failureLogOddsPerStep.isFinite && c.ratingPerStep.isFinite) {
            throw ScenarioError(message: "session_length values must be finite")
        }
        if let r = latencyRegression, !tools.contains(where: { $0.name == r.tool }) {
            throw ScenarioError(message: "latency_regression names unknown tool \"\(r.tool)\"")
        }
    }
}

/// A scenario file is not usable.
public struct ScenarioError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { "scenario: \(message)" }

    init(message: String) { self.message = message }

    /// Names the key (in the file's snake_case, with list indices) and what was wrong with it.
    init(decoding error: DecodingError) {
        func snake(_ key: String) -> String {
            key.reduce(into: "") { out, c in
                if c.isUppercase { out += "_" }
                out += c.lowercased()
            }
        }
        func path(_ keys: [CodingKey]) -> String {
            keys.reduce("") { text, key in
                if let index = key.intValue { return text + "[\(index)]" }
                return text.isEmpty ? snake(key.stringValue) : text + "." + snake(key.stringValue)
            }
        }
        switch error {
        case .keyNotFound(let key, let context):
            message = "\(path(context.codingPath + [key])): missing (list entries need every field)"
        case .typeMismatch(let type, let context):
            message = "\(path(context.codingPath)): wrong type (expected \(type))"
        case .valueNotFound(_, let context):
            message = "\(path(context.codingPath)): must not be null"
        case .dataCorrupted(let context):
            message = "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            message = "\(error)"
        }
    }
}
