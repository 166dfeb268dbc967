import Crypto
import Foundation
import Primitives

/// What a simulation planted, written next to the data so that analyses can be checked against it.
public struct SimulationTruth: Codable, Sendable {
    public var seed: UInt64
    public var developers: Int
    public var days: Int
    public var scenario: Scenario
    /// Developer name → cohort name (names are pseudonymised on ingest; cohorts are also in session tags `cohort:NAME`).
    public var cohortOfDeveloper: [String: String]
    /// Events generated per type.
    public var eventCounts: [String: Int]
    /// Sessions generated.
    public var sessions: Int
    /// Planted log odds ratios of acceptance, per term (`generation_type=test`, `language=sql`, `lines_per_10`, `cohort=product`).
    public var acceptanceLogOdds: [String: Double]
    /// Planted tool failure rates per tool (baseline; context effects and regression listed in the scenario).
    public var toolFailureRates: [String: Double]
    /// Identifies the run (seed, size and scenario): part of every session id, and mixed into every
    /// event id, so that two different simulations loaded into one database never collide.
    public var runTag: String

    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}

/// Generates a realistic workload in the ingest format from a scenario and a seed.
///
/// Per developer and day: a Poisson number of sessions (fewer at weekends); each session has a
/// start, context events, steps (interactions with tool calls and code generations, log-normal
/// latencies), maybe a learning event and a feedback event, and an end with a rating drawn from
/// the scenario's satisfaction model. The same seed gives the same bytes.
public struct WorkloadSimulator {
    public var scenario: Scenario
    public var developers: Int
    public var days: Int
    public var seed: UInt64

    public init(scenario: Scenario = .default, developers: Int, days: Int, seed: UInt64) {
        self.scenario = scenario
        self.developers = developers
        self.days = days
        self.seed = seed
    }

    /// Developer names, `sim-dev-001` ….
    public func developerName(_ index: Int) -> String {
        let digits = String(index + 1)
        return "sim-dev-" + String(repeating: "0", count: max(0, 3 - digits.count)) + digits
    }

    /// The developer's tag in session ids, `d001` … (the same number as in `developerName`).
    ///
    /// Session ids are identifiers and are stored as given (ingest pseudonymises only the
    /// `developer` field), so they must not carry the raw name: the number stands in for it.
    public func developerTag(_ index: Int) -> String {
        let digits = String(index + 1)
        return "d" + String(repeating: "0", count: max(0, 3 - digits.count)) + digits
    }

    /// Six hex digits of SHA-256 over the seed, the size and the scenario, and the 128-bit salt
    /// mixed into event ids: the same run gives the same ids, different runs different ones.
    public func runIdentity() throws -> (tag: String, salt: (UInt64, UInt64)) {
        var material = Data("ail-simulate|\(seed)|\(developers)|\(days)|".utf8)
        material.append(try scenario.jsonData())
        let digest = Array(SHA256.hash(data: material))
        let word = { (offset: Int) in digest[offset..<offset + 8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) } }
        let tag = digest.prefix(3).map { String(format: "%02x", $0) }.joined()
        return (tag, (word(8), word(16)))
    }

    /// Cohort of each developer (by index), drawn from the cohort shares with a generator of its own.
    public func cohortAssignment() -> [Int] {
        var rng = SeededGenerator(seed: seed ^ 0xC0_4087)
        let shares = scenario.cohorts.map(\.share)
        return (0..<developers).map { _ in rng.pick(shares) }
    }

    /// Runs the simulation, handing each NDJSON line (without newline) to `emit`.
    @discardableResult
    public func run(_ emit: (String) throws -> Void) throws -> SimulationTruth {
        let s = scenario
        var rng = SeededGenerator(seed: seed)
        let (runTag, salt) = try runIdentity()
        let cohorts = cohortAssignment()
        let startDay = Int(((TimestampText.seconds(rfc3339: s.startDate + "T00:00:00Z") ?? 0) / 86_400).rounded(.down))
        let toolWeights = s.tools.map(\.weight)
        let interactionTypes = InteractionType.allCases.filter { (s.interactionWeights[$0.rawValue] ?? 0) > 0 }
        let interactionWeights = interactionTypes.map { s.interactionWeights[$0.rawValue] ?? 0 }
        let generationTypes = GenerationType.allCases.filter { (s.generationTypeWeights[$0.rawValue] ?? 0) > 0 }
        let generationWeights = generationTypes.map { s.generationTypeWeights[$0.rawValue] ?? 0 }
        let languages = s.languageWeights.keys.sorted()
        let languageWeights = languages.map { s.languageWeights[$0] ?? 0 }
        let contextTypes = ContextType.allCases.filter { (s.contextProbabilities[$0.rawValue] ?? 0) > 0 }
        let baseLogit = Foundation.log(s.acceptance.baseProbability / (1 - s.acceptance.baseProbability))
        var counts: [String: Int] = [:]
        var sessions = 0

        func line(_ build: (inout JSONLineBuilder) -> Void) throws {
            var b = JSONLineBuilder()
            build(&b)
            let text = b.finish()
            try emit(text)
        }

        for day in 0..<days {
            let epochDay = startDay + day
            let weekday = ((epochDay % 7) + 7 + 3) % 7  // 0 = Monday (1970-01-01 was a Thursday)
            let rate = s.sessionsPerWeekday * (weekday >= 5 ? s.weekendFactor : 1)
            for dev in 0..<developers {
                let n = rng.poisson(rate)
                guard n > 0 else { continue }
                let cohort = s.cohorts[cohorts[dev]]
                let taskWeights = cohort.taskTypeWeights.map { mix in Scenario.taskTypes.map { mix[$0] ?? 0 } } ?? Scenario.defaultTaskTypeWeights
                var t = Double(epochDay * 86_400) + 8 * 3600 + rng.uniform() * 9 * 3600
                for k in 0..<n {
                    sessions += 1
                    let sessionID = "sim\(seed)-\(runTag)-\(developerTag(dev))-d\(day)-\(k)"
                    let task = Scenario.taskTypes[rng.pick(taskWeights)]
                    let taskEffect = s.taskTypeEffects?[task]
                    try line { b in
                        b.string("type", "session_start"); b.string("event_id", rng.uuidString(salt: salt)); b.string("session_id", sessionID)
                        b.string("developer", developerName(dev)); b.time("started_at", t); b.string("task_type", task)
                        b.raw("context", "{\"task\":\"\(task)\",\"day\":\(day)}")
                        b.strings("tags", ["cohort:" + cohort.name, task])
                    }
                    counts["session_start", default: 0] += 1
                    // Context reported at the start of the session.
                    var present = Set<String>()
                    for type in contextTypes where rng.bernoulli(s.contextProbabilities[type.rawValue] ?? 0) {
                        present.insert(type.rawValue)
                        t += rng.exponential(mean: 2)
                        try line { b in
                            b.string("type", "context"); b.string("event_id", rng.uuidString(salt: salt)); b.string("session_id", sessionID)
                            b.time("occurred_at", t); b.string("context_type", type.rawValue)
                            b.raw("data", type == .openFiles ? "{\"files\":[\"Sources/App/main.swift\",\"Package.swift\"]}" : "{\"items\":\(rng.poisson(4))}")
                            b.number("relevance_score", (rng.uniform() * 100).rounded() / 100)
                        }
                        counts["context", default: 0] += 1
                    }
                    // Steps.
                    let steps = 1 + rng.poisson(max(0, s.stepsPerSession - 1))
                    var failures = 0
                    var latencySum = 0.0
                    var toolCalls = 0
                    let model = s.models.isEmpty ? "model" : s.models[rng.pick(Array(repeating: 1, count: s.models.count))]
                    for _ in 0..<steps {
                        t += rng.exponential(mean: 45)
                        let kind = interactionTypes[rng.pick(interactionWeights)]
                        var success = true
                        var responseTime = rng.logNormal(median: 1800, sigma: 0.5)
                        var errorType: String?
                        var errorMessage: String?
                        var toolLine: ((inout JSONLineBuilder) -> Void)?
                        var generationLine: ((inout JSONLineBuilder) -> Void)?
                        switch kind {
                        case .toolCall:
                            let tool = s.tools[rng.pick(toolWeights)]
                            var failureRate = tool.failureRate
                            for effect in s.toolContextEffects where effect.tool == tool.name
                                && present.contains(effect.contextType) == effect.present {
                                failureRate = effect.failureRate
                            }
                            if let c = s.sessionLength, failureRate > 0, failureRate < 1 {
                                let logit = Foundation.log(failureRate / (1 - failureRate)) + c.failureLogOddsPerStep * (Double(steps) - s.stepsPerSession)
                                failureRate = 1 / (1 + Foundation.exp(-logit))
                            }
                            var latency = rng.logNormal(median: tool.medianLatencyMs, sigma: tool.latencySigma)
                            if let r = s.latencyRegression, r.tool == tool.name, day >= r.fromDay { latency *= r.factor }
                            latency = (latency * 10).rounded() / 10
                            success = !rng.bernoulli(failureRate)
                            if !success {
                                failures += 1
                                let pickError = rng.pick([5, 3, 2, 1])
                                errorType = ["timeout", "not_found", "permission_denied", "connection_error"][pickError]
                                errorMessage = [
                                    "operation timed out after \(Int(latency)) ms",
                                    "no such file or directory: Sources/Missing.swift",
                                    "permission denied while running \(tool.name)",
                                    "could not connect to postgres://ci:hunter2@db.internal:5432/app",
                                ][pickError]
                            }
                            toolCalls += 1
                            latencySum += latency
                            responseTime = latency + rng.logNormal(median: 300, sigma: 0.4)
                            let toolID = rng.uuidString(salt: salt)
                            let ok = success, et = errorType, em = errorMessage
                            toolLine = { b in
                                b.string("type", "tool_usage"); b.string("event_id", toolID); b.string("session_id", sessionID)
                                b.time("occurred_at", t); b.string("tool_name", tool.name); b.bool("success", ok)
                                b.number("execution_time_ms", latency)
                                if let et { b.string("error_type", et) }
                                if let em { b.string("error_message", em) }
                                b.raw("parameters", "{\"attempt\":1}")
                            }
                        case .codeGeneration:
                            let type = generationTypes[rng.pick(generationWeights)]
                            let language = languages.isEmpty ? "swift" : languages[rng.pick(languageWeights)]
                            let lines = max(1, Int(rng.logNormal(median: 20, sigma: 0.7).rounded()))
                            var logit = baseLogit + Foundation.log(s.acceptance.generationTypeOddsRatios[type.rawValue] ?? 1)
                            logit += Foundation.log(s.acceptance.languageOddsRatios[language] ?? 1)
                            logit += Foundation.log(s.acceptance.oddsRatioPer10Lines) * (Double(lines) - s.acceptance.referenceLines) / 10
                            logit += Foundation.log(cohort.acceptanceOddsRatio)
                            if let ratio = taskEffect?.acceptanceOddsRatio { logit += Foundation.log(ratio) }
                            let p = 1 / (1 + Foundation.exp(-logit))
                            let undecided = rng.bernoulli(s.acceptance.undecidedRate)
                            let accepted: Bool? = undecided ? nil : rng.bernoulli(p)
                            let decision: Double? = undecided ? nil : (rng.logNormal(median: 15_000, sigma: 0.8)).rounded()
                            let modified: Int? = accepted == true ? Int(Double(lines) * rng.uniform() * 0.3) : nil
                            let complexity = 1 + rng.poisson(Double(lines) / 15)
                            let generationEvent = rng.uuidString(salt: salt)
                            let generationID = "gen-" + String(generationEvent.prefix(8))
                            generationLine = { b in
                                b.string("type", "code_generation"); b.string("event_id", generationEvent); b.string("session_id", sessionID)
                                b.time("occurred_at", t); b.string("generation_id", generationID)
                                b.string("file_path", "Sources/App/File\(lines % 17).\(language == "swift" ? "swift" : language == "python" ? "py" : language == "sql" ? "sql" : "ts")")
                                b.string("generation_type", type.rawValue); b.string("language", language)
                                b.int("lines_generated", lines); b.int("complexity", complexity)
                                if let accepted { b.bool("accepted", accepted) } else { b.null("accepted") }
                                if let decision { b.number("time_to_decision_ms", decision) }
                                if let modified { b.int("lines_modified", modified) }
                            }
                        case .userQuery:
                            success = rng.bernoulli(0.97)
                        case .validation:
                            success = rng.bernoulli(0.9)
                            if !success { errorType = "validation_failed"; errorMessage = "schema check failed" }
                        }
                        let tokensKnown = rng.bernoulli(0.9)
                        let tokensIn = 200 + rng.poisson(8) * 150, tokensOut = 50 + rng.poisson(5) * 80
                        let rt = (responseTime * 10).rounded() / 10
                        let ok = success, et = errorType, em = errorMessage
                        try line { b in
                            b.string("type", "interaction"); b.string("event_id", rng.uuidString(salt: salt)); b.string("session_id", sessionID)
                            b.time("occurred_at", t); b.string("interaction_type", kind.rawValue); b.string("model", model)
                            b.bool("success", ok); b.number("response_time_ms", rt)
                            if tokensKnown { b.int("tokens_in", tokensIn); b.int("tokens_out", tokensOut) }
                            if let et { b.string("error_type", et) }
                            if let em { b.string("error_message", em) }
                            b.strings("context_tags", [task])
                        }
                        counts["interaction", default: 0] += 1
                        if let toolLine { try line(toolLine); counts["tool_usage", default: 0] += 1 }
                        if let generationLine { try line(generationLine); counts["code_generation", default: 0] += 1 }
                    }
                    // Satisfaction.
                    let meanLatencySeconds = toolCalls > 0 ? latencySum / Double(toolCalls) / 1000 : 0
                    func rating() -> Int {
                        var value = s.satisfaction.baseRating + s.satisfaction.perToolFailure * Double(failures)
                            + s.satisfaction.perSecondMeanLatency * meanLatencySeconds
                            + s.satisfaction.trendPer30Days * Double(day) / 30 + cohort.ratingShift
                            + (s.sessionLength.map { $0.ratingPerStep * (Double(steps) - s.stepsPerSession) } ?? 0)
                            + s.satisfaction.noiseStandardDeviation * rng.normal()
                        if let shift = taskEffect?.ratingShift { value += shift }
                        return min(5, max(1, Int(value.rounded())))
                    }
                    if rng.bernoulli(s.learningProbability) {
                        t += rng.exponential(mean: 20)
                        let confidence = ((0.5 + 0.45 * rng.uniform()) * 100).rounded() / 100
                        let applied = rng.bernoulli(0.6)
                        let appliedOK = applied ? rng.bernoulli(confidence) : false
                        try line { b in
                            b.string("type", "learning"); b.string("event_id", rng.uuidString(salt: salt)); b.string("session_id", sessionID)
                            b.time("occurred_at", t); b.string("learning_type", ["pattern", "preference", "error_fix"][rng.pick([2, 1, 1])])
                            b.string("description", "prefer \(task) conventions seen in this repository")
                            b.number("confidence_score", confidence); b.bool("applied", applied)
                            if applied { b.bool("applied_successfully", appliedOK) } else { b.null("applied_successfully") }
                        }
                        counts["learning", default: 0] += 1
                    }
                    if rng.bernoulli(s.feedbackProbability) {
                        t += rng.exponential(mean: 10)
                        let r = rating()
                        try line { b in
                            b.string("type", "feedback"); b.string("event_id", rng.uuidString(salt: salt)); b.string("session_id", sessionID)
                            b.time("occurred_at", t); b.int("rating", r)
                            b.string("text", r >= 4 ? "helpful" : "too many failed tool calls"); b.strings("context_tags", [task])
                        }
                        counts["feedback", default: 0] += 1
                    }
                    t += rng.exponential(mean: 30)
                    let endRating = rating()
                    try line { b in
                        b.string("type", "session_end"); b.string("event_id", rng.uuidString(salt: salt)); b.string("session_id", sessionID)
                        b.time("ended_at", t); b.int("rating", endRating)
                        b.string("text", endRating >= 4 ? "Excellent assistance" : "Needs improvement"); b.strings("tags", [task])
                    }
                    counts["session_end", default: 0] += 1
                    t += 600 + rng.exponential(mean: 3600)
                }
            }
        }

        var logOdds: [String: Double] = [:]
        for (k, v) in s.acceptance.generationTypeOddsRatios { logOdds["generation_type=\(k)"] = Foundation.log(v) }
        for (k, v) in s.acceptance.languageOddsRatios { logOdds["language=\(k)"] = Foundation.log(v) }
        logOdds["lines_per_10"] = Foundation.log(s.acceptance.oddsRatioPer10Lines)
        for c in s.cohorts { logOdds["cohort=\(c.name)"] = Foundation.log(c.acceptanceOddsRatio) }
        for (task, effect) in s.taskTypeEffects ?? [:] {
            if let ratio = effect.acceptanceOddsRatio { logOdds["task_type=\(task)"] = Foundation.log(ratio) }
        }
        var cohortOf: [String: String] = [:]
        for dev in 0..<developers { cohortOf[developerName(dev)] = s.cohorts[cohorts[dev]].name }
        return SimulationTruth(seed: seed, developers: developers, days: days, scenario: s, cohortOfDeveloper: cohortOf,
                               eventCounts: counts, sessions: sessions, acceptanceLogOdds: logOdds,
                               toolFailureRates: Dictionary(uniqueKeysWithValues: s.tools.map { ($0.name, $0.failureRate) }),
                               runTag: runTag)
    }
}

/// Builds one JSON object line field by field.
struct JSONLineBuilder {
    private var text = "{"
    private var first = true

    private mutating func key(_ name: String) {
        if first { first = false } else { text += "," }
        text += "\""
        text += name
        text += "\":"
    }
    mutating func string(_ name: String, _ value: String) { key(name); JSONValue.writeString(value, to: &text) }
    mutating func int(_ name: String, _ value: Int) { key(name); text += String(value) }
    mutating func number(_ name: String, _ value: Double) { key(name); text += EventDecoder.format(value) }
    mutating func bool(_ name: String, _ value: Bool) { key(name); text += value ? "true" : "false" }
    mutating func null(_ name: String) { key(name); text += "null" }
    mutating func raw(_ name: String, _ json: String) { key(name); text += json }
    mutating func time(_ name: String, _ seconds: Double) { key(name); text += "\""; text += TimestampText.format(secondsSince1970: seconds); text += "\"" }
    mutating func strings(_ name: String, _ values: [String]) {
        key(name)
        text += "["
        for (i, v) in values.enumerated() {
            if i > 0 { text += "," }
            JSONValue.writeString(v, to: &text)
        }
        text += "]"
    }
    mutating func finish() -> String { text += "}"; return text }
}

extension WorkloadSimulator {
    /// The truth file written next to `output`: `x.ndjson` → `x.truth.json`.
    public static func truthURL(for output: URL) -> URL {
        let base = output.pathExtension == "ndjson" ? output.deletingPathExtension() : output
        return base.appendingPathExtension("truth.json")
    }

    /// Writes the workload to `output` (NDJSON) and the truth next to it; returns the truth.
    @discardableResult
    public func write(to output: URL) throws -> SimulationTruth {
        FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        defer { try? handle.close() }
        var buffer = [UInt8]()
        buffer.reserveCapacity(1 << 20)
        let truth = try run { line in
            buffer.append(contentsOf: line.utf8)
            buffer.append(0x0A)
            if buffer.count >= 1 << 20 {
                try handle.write(contentsOf: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try handle.write(contentsOf: buffer)
        try truth.jsonData().write(to: WorkloadSimulator.truthURL(for: output))
        return truth
    }
}
