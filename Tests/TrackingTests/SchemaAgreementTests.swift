import Foundation
import Testing
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

    @Test func schemaStatesTheDecodersRules() throws {
        let schema = try String(contentsOf: PackagePaths.root.appendingPathComponent("schemas/tracking-event.schema.json"), encoding: .utf8)
        #expect(schema.contains(#""not": {"#))                                    // data: null is refused
        #expect(schema.contains(#""pattern": "^[1-5](\\.0+)?$""#))                 // rating "9" is refused
        #expect(schema.contains(#""required": [\#n          "applied_successfully""#))  // … only when applied
    }
}
