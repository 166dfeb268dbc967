import Foundation
import Testing
import Store
import TestSupport
@testable import Tracking

/// `schemas/tracking-event.schema.json` and the decoder agree on the cases in
/// `schemas/tracking-event.agreement.ndjson` (each line: `{"accepted": Bool, "event": {…}}`).
/// The schema side is checked with any JSON Schema 2020-12 validator, e.g.
/// `python3 -c 'import json,jsonschema; v=jsonschema.Draft202012Validator(json.load(open("schemas/tracking-event.schema.json")));
/// [print(l) for l in open("schemas/tracking-event.agreement.ndjson") if v.is_valid(json.loads(l)["event"]) != json.loads(l)["accepted"]]'`.
@Suite struct SchemaAgreementTests {
    @Test func decoderAcceptsExactlyTheAgreedCases() throws {
        let text = try String(contentsOf: PackagePaths.root.appendingPathComponent("schemas/tracking-event.agreement.ndjson"), encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count >= 30)
        for line in lines {
            guard case .object(let members) = try JSONReader.parse(String(line)),
                  case .bool(let accepted)? = members.first(where: { $0.key == "accepted" })?.value,
                  let event = members.first(where: { $0.key == "event" })?.value else {
                Issue.record("malformed case \(line)")
                continue
            }
            let result = EventDecoder().decode(event)
            if case .failure(let why) = result, accepted { Issue.record("refused \(event.jsonText): \(why)") }
            if case .success = result, !accepted { Issue.record("accepted \(event.jsonText)") }
        }
    }

    /// The schema's content, not its text: every agreement case is validated against the parsed
    /// schema by a JSON Schema 2020-12 validator (python's `jsonschema`), which must give the
    /// decoder's verdict. Without that validator the test says so and fails, rather than passing
    /// on nothing.
    @Test func schemaValidatorGivesTheDecodersVerdictOnEveryCase() throws {
        let script = """
            import json, sys
            try:
                import jsonschema
            except ImportError:
                print("NO_JSONSCHEMA"); sys.exit(0)
            schema = json.load(open(sys.argv[1]))
            jsonschema.Draft202012Validator.check_schema(schema)
            v = jsonschema.Draft202012Validator(schema, format_checker=None)
            n = 0
            for line in open(sys.argv[2]):
                if not line.strip(): continue
                case = json.loads(line); n += 1
                if v.is_valid(case["event"]) != case["accepted"]:
                    print("DISAGREE", json.dumps(case["event"]))
            print("CASES", n)
            """
        let result = try ChildProcess.run(
            ["/usr/bin/env", "python3", "-c", script,
             PackagePaths.root.appendingPathComponent("schemas/tracking-event.schema.json").path,
             PackagePaths.root.appendingPathComponent("schemas/tracking-event.agreement.ndjson").path],
            allowFailure: true)
        #expect(result.status == 0, "\(result.output)")
        #expect(!result.output.contains("NO_JSONSCHEMA"),
                "python3's jsonschema is not installed (pip install jsonschema): the schema side was NOT checked")
        #expect(!result.output.contains("DISAGREE"), "schema and decoder disagree:\n\(result.output)")
        let cases = result.output.split(separator: "\n").first { $0.hasPrefix("CASES ") }.flatMap { Int($0.dropFirst(6)) }
        #expect((cases ?? 0) >= 30, "\(result.output)")
    }

    /// The same rules read from the parsed schema (not its text layout): data may not be null, a
    /// rating string is 1–5, applied_successfully requires applied.
    @Test func schemaStatesTheDecodersRules() throws {
        let data = try Data(contentsOf: PackagePaths.root.appendingPathComponent("schemas/tracking-event.schema.json"))
        let schema = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let branches = try #require(schema["oneOf"] as? [[String: Any]])
        func branch(_ type: String) throws -> [String: Any] {
            try #require(branches.first { (($0["properties"] as? [String: Any])?["type"] as? [String: Any])?["const"] as? String == type },
                         "no oneOf branch for \(type)")
        }
        func property(_ type: String, _ name: String) throws -> [String: Any] {
            try #require((try branch(type)["properties"] as? [String: Any])?[name] as? [String: Any], "\(type).\(name)")
        }
        #expect((try property("context", "data")["not"] as? [String: Any])?["type"] as? String == "null")
        let ratingForms = try #require(try property("feedback", "rating")["anyOf"] as? [[String: Any]])
        #expect(ratingForms.contains { $0["pattern"] as? String == "^[1-5](\\.0+)?$" })
        let learning = try branch("learning")
        #expect((learning["if"] as? [String: Any])?["required"] as? [String] == ["applied_successfully"])
        #expect((learning["then"] as? [String: Any])?["required"] as? [String] == ["applied"])
        for type in ["session_start", "interaction", "tool_usage", "code_generation", "feedback", "context", "learning", "session_end"] {
            #expect(try branch(type)["additionalProperties"] as? Bool == false, "\(type) must refuse unknown fields")
        }
    }
}
