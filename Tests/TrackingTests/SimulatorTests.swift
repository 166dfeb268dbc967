import Crypto
import Foundation
import Testing
@testable import Tracking

@Suite struct SimulatorTests {
    func lines(seed: UInt64, developers: Int = 8, days: Int = 30, scenario: Scenario = .default) throws -> ([String], SimulationTruth) {
        var out: [String] = []
        let truth = try WorkloadSimulator(scenario: scenario, developers: developers, days: days, seed: seed).run { out.append($0) }
        return (out, truth)
    }

    @Test func reproducibleFromItsSeed() throws {
        let (a, truthA) = try lines(seed: 7)
        let (b, _) = try lines(seed: 7)
        let (c, _) = try lines(seed: 8)
        #expect(a == b)
        #expect(a != c)
        #expect(a.count == truthA.eventCounts.values.reduce(0, +))
        #expect(truthA.eventCounts["session_start"] == truthA.sessions)
        #expect(truthA.eventCounts["session_end"] == truthA.sessions)
        // Pinned (computed with `ail simulate --developers 8 --days 30 --seed 7 | head -c -1 | sha256sum`;
        // re-pinned when run tags entered the ids, and when session ids took the developer number
        // `d001` instead of the raw name `sim-dev-001`): a change
        // in the generator's output is then a visible decision, and other platforms must agree.
        let digest = SHA256.hash(data: Data(a.joined(separator: "\n").utf8)).map { String(format: "%02x", $0) }.joined()
        #expect(digest == "afbf6dad77df5ce94d3a0388059d8070b84fba91a0ac0687e4493e341963b511")
        #expect(a[0].contains(#""session_id":"sim7-bfebed-d001-d0-0","developer":"sim-dev-001""#), "\(a[0])")
        #expect(a.allSatisfy { !$0.contains(#""session_id":"sim7-bfebed-sim-dev-"#) })
    }

    @Test func everyLineIsValidIngestInput() throws {
        let (all, _) = try lines(seed: 3, developers: 5, days: 14)
        let decoder = EventDecoder()
        var ids = Set<UUID>()
        for line in all {
            let event = try decoder.decode(line: line).get()
            ids.insert(event.eventID)
        }
        #expect(ids.count == all.count)
    }

    @Test func plantedEffectsAreVisibleInTheData() throws {
        let (all, truth) = try lines(seed: 11, developers: 40, days: 60)
        let decoder = EventDecoder()
        var tool: [String: (n: Int, failed: Int)] = [:]
        var acceptance: [GenerationType: (n: Int, yes: Int)] = [:]
        var weekday = 0, weekend = 0
        for line in all {
            switch try decoder.decode(line: line).get() {
            case .toolUsage(let t):
                tool[t.toolName, default: (0, 0)].n += 1
                if !t.success { tool[t.toolName, default: (0, 0)].failed += 1 }
            case .codeGeneration(let g):
                guard let accepted = g.accepted else { continue }
                acceptance[g.generationType, default: (0, 0)].n += 1
                if accepted { acceptance[g.generationType, default: (0, 0)].yes += 1 }
            case .sessionStart(let s):
                let dayIndex = Int((s.startedAt.secondsSince1970 / 86_400).rounded(.down))
                if ((dayIndex % 7) + 10) % 7 >= 5 { weekend += 1 } else { weekday += 1 }
            default: break
            }
        }
        // grep has no context effect: its rate is the planted 3 %.
        let grep = tool["grep"]!
        #expect(abs(Double(grep.failed) / Double(grep.n) - truth.toolFailureRates["grep"]!) < 0.015)
        // Tests are accepted with much higher odds than migrations (planted OR 2.0 / 0.4 = 5).
        let test = acceptance[.test]!, migration = acceptance[.migration]!
        let odds = { (x: (n: Int, yes: Int)) in Double(x.yes) / Double(x.n - x.yes) }
        let ratio = odds(test) / odds(migration)
        #expect(ratio > 3 && ratio < 8, "odds ratio test/migration \(ratio)")
        // Weekday seasonality: per day, weekends have about 0.2× the sessions.
        let perWeekday = Double(weekday) / 5, perWeekendDay = Double(weekend) / 2
        #expect(perWeekendDay / perWeekday > 0.1 && perWeekendDay / perWeekday < 0.3)
    }

    @Test func scenarioFilesOverrideTheDefault() throws {
        let scenario = try Scenario.decode(Data(#"{"name":"fast","weekend_factor":0.5,"latency_regression":null}"#.utf8))
        #expect(scenario.name == "fast" && scenario.weekendFactor == 0.5 && scenario.latencyRegression == nil)
        #expect(scenario.tools == Scenario.default.tools)
        #expect(throws: ScenarioError.self) { try Scenario.decode(Data(#"{"weekend_factr":0.5}"#.utf8)) }
        #expect(throws: (any Error).self) { try Scenario.decode(Data(#"{"feedback_probability":2}"#.utf8)) }
        // The committed scenarios/default.json is the embedded default.
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scenarios/default.json")
        if ProcessInfo.processInfo.environment["AIL_WRITE_DEFAULT_SCENARIO"] != nil {  // regenerate the file
            try Scenario.default.jsonData().write(to: file)
        }
        #expect(try Scenario.load(from: file) == Scenario.default)
    }

    @Test func writesDataAndTruth() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ail-sim-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("w.ndjson")
        let truth = try WorkloadSimulator(developers: 3, days: 7, seed: 1).write(to: out)
        let text = try String(contentsOf: out, encoding: .utf8)
        #expect(text.split(separator: "\n").count == truth.eventCounts.values.reduce(0, +))
        let truthJSON = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("w.truth.json"))) as? [String: Any]
        #expect((truthJSON?["seed"] as? Int) == 1)
        #expect(truthJSON?["acceptance_log_odds"] != nil)
    }

    @Test func nestedOverridesMergeWithTheDefault() throws {
        let scenario = try Scenario.decode(Data(#"{"acceptance":{"base_probability":0.5},"interaction_weights":{"validation":0}}"#.utf8))
        #expect(scenario.acceptance.baseProbability == 0.5)
        #expect(scenario.acceptance.generationTypeOddsRatios == Scenario.default.acceptance.generationTypeOddsRatios)
        #expect(scenario.interactionWeights["validation"] == 0)
        #expect(scenario.interactionWeights["tool_call"] == Scenario.default.interactionWeights["tool_call"])
    }

    /// Each unusable scenario is refused with the key and the reason, never a crash or a raw decoder dump.
    @Test(arguments: [
        (#"{"interaction_weights":{"user_query":0,"tool_call":0,"code_generation":0,"validation":0}}"#, "interaction_weights"),
        (#"{"acceptance":{"generation_type_odds_ratios":{"test":0}}}"#, "acceptance.generation_type_odds_ratios[test]"),
        (#"{"acceptance":{"base_probability":1}}"#, "acceptance.base_probability"),
        (#"{"acceptance":{"base_probabilty":0.5}}"#, "unknown scenario key \"acceptance.base_probabilty\""),
        (#"{"latency_regression":{"factor":-2}}"#, "latency_regression.factor"),
        (#"{"sessions_per_weekday":-1}"#, "sessions_per_weekday"),
        (#"{"tools":[{"name":"grep","weight":1}]}"#, "tools[0].failure_rate: missing"),
        (#"{"weekend_factor":"low"}"#, "weekend_factor: wrong type"),
        (#"[1,2]"#, "one JSON object"),
    ])
    func unusableScenariosAreRefusedByName(json: String, expected: String) throws {
        let error = try #require(throws: ScenarioError.self) { try Scenario.decode(Data(json.utf8)) }
        #expect(error.description.contains(expected), "\(error)")
    }

    /// Two different simulations share no session or event id, so both can live in one database.
    @Test func differentRunsNeverShareIdentifiers() throws {
        func identifiers(_ lines: [String]) throws -> Set<String> {
            var ids = Set<String>()
            for line in lines {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                ids.insert(object["event_id"] as! String)
                ids.insert("session:" + (object["session_id"] as! String))
            }
            return ids
        }
        let (a, truthA) = try lines(seed: 7, developers: 4, days: 10)
        let (b, truthB) = try lines(seed: 7, developers: 5, days: 10)
        let (c, _) = try lines(seed: 7, developers: 4, days: 10,
                               scenario: try Scenario.decode(Data(#"{"weekend_factor":0.5}"#.utf8)))
        #expect(truthA.runTag != truthB.runTag)
        #expect(try identifiers(a).isDisjoint(with: try identifiers(b)))
        #expect(try identifiers(a).isDisjoint(with: try identifiers(c)))
        #expect(try identifiers(a) == identifiers(try lines(seed: 7, developers: 4, days: 10).0))
    }
}
