import Foundation
import Testing
@testable import Tracking
import Primitives

@Suite struct EventDecoderTests {
    let decoder = EventDecoder(maximumLineLength: 2000)
    let id = "0b6f7c1e-1d2a-4c3b-9e8f-112233445566"

    func reasons(_ line: String) -> String? {
        if case .failure(let r) = decoder.decode(line: line) { return r.description }
        return nil
    }

    @Test func decodesEveryEventType() throws {
        let lines = [
            #"{"type":"session_start","event_id":"\#(id)","session_id":"s1","developer":"ada","started_at":"2026-01-05T09:00:00Z","task_type":"database_design","context":{"files":["migrations/"]},"tags":["a","b"]}"#,
            #"{"type":"interaction","event_id":"\#(id)","session_id":"s1","occurred_at":"2026-01-05T09:00:01.5+01:00","interaction_type":"tool_call","model":"m","success":true,"response_time_ms":"120.5","tokens_in":10,"tokens_out":20,"context_tags":["x"]}"#,
            #"{"type":"tool_usage","event_id":"\#(id)","session_id":"s1","occurred_at":"2026-01-05T09:00:02Z","tool_name":"grep","success":"false","execution_time_ms":150,"error_type":"timeout","error_message":"took too long","parameters":{"pattern":"a\"b"}}"#,
            #"{"type":"code_generation","event_id":"\#(id)","session_id":"s1","occurred_at":"2026-01-05T09:00:03Z","generation_id":"g1","file_path":"a.sql","generation_type":"migration","language":"sql","lines_generated":40,"complexity":3,"accepted":null,"time_to_decision_ms":null,"lines_modified":2}"#,
            #"{"type":"feedback","event_id":"\#(id)","session_id":"s1","occurred_at":"2026-01-05T09:00:04Z","rating":4,"text":"good","context_tags":["db"]}"#,
            #"{"type":"context","event_id":"\#(id)","session_id":"s1","occurred_at":"2026-01-05T09:00:05Z","context_type":"open_files","data":["a.swift"],"relevance_score":0.7}"#,
            #"{"type":"learning","event_id":"\#(id)","session_id":"s1","occurred_at":"2026-01-05T09:00:06Z","learning_type":"pattern","description":"d","confidence_score":0.8,"applied":true,"applied_successfully":null}"#,
            #"{"type":"session_end","event_id":"\#(id)","session_id":"s1","ended_at":"2026-01-05T10:00:00Z","rating":5,"text":"Excellent assistance","tags":["t"]}"#,
        ]
        var types: [EventType] = []
        for line in lines {
            let event = try decoder.decode(line: line).get()
            types.append(event.type)
            #expect(event.sessionID == "s1")
            #expect(event.eventID == UUID(uuidString: id))
        }
        #expect(types == EventType.allCases)
        guard case .interaction(let i) = try decoder.decode(line: lines[1]).get() else { Issue.record("not interaction"); return }
        #expect(i.responseTimeMs == 120.5)
        #expect(i.occurredAt.secondsSince1970 == 1_767_603_600 - 3600 + 1.5)
        guard case .toolUsage(let t) = try decoder.decode(line: lines[2]).get() else { Issue.record("not tool"); return }
        #expect(t.success == false)
        #expect(t.parameters?.text == #"{"pattern":"a\"b"}"#)
        guard case .codeGeneration(let g) = try decoder.decode(line: lines[3]).get() else { Issue.record("not gen"); return }
        #expect(g.accepted == nil && g.timeToDecisionMs == nil && g.linesGenerated == 40)
    }

    @Test func fieldLevelReasons() {
        #expect(reasons("garbage") == "line: invalid JSON (at byte 1: unexpected character)")
        #expect(reasons("[1]") == "line: wrong type (expected object, got array)")
        #expect(reasons(#"{"event_id":"\#(id)"}"#) == "type: missing required field")
        #expect(reasons(#"{"type":"telemetry","event_id":"\#(id)"}"#)
            == "type: unknown event type (got \"telemetry\"; expected one of session_start, interaction, tool_usage, code_generation, feedback, context, learning, session_end)")
        #expect(reasons(#"{"type":"feedback","event_id":"\#(id)","session_id":"s","occurred_at":"2026-01-05T09:00:00Z","rating":7}"#)
            == "rating: out of range (expected 1...5, got 7)")
        #expect(reasons(#"{"type":"feedback","event_id":"nope","session_id":"","occurred_at":"yesterday","rating":"five"}"#)
            == #"event_id: invalid value (expected a UUID, got "nope"); session_id: invalid value (must not be empty); occurred_at: timestamp unparseable (expected RFC 3339, got "yesterday"); rating: wrong type (expected integer, got string "five")"#)
        #expect(reasons(#"{"type":"tool_usage","event_id":"\#(id)","session_id":"s","occurred_at":"2026-02-30T09:00:00Z","success":"maybe","tool_name":"grep","colour":"red"}"#)
            == #"occurred_at: timestamp unparseable (expected RFC 3339, got "2026-02-30T09:00:00Z"); success: wrong type (expected boolean, got string "maybe"); colour: unknown field"#)
        #expect(reasons(#"{"type":"interaction","event_id":"\#(id)","session_id":"s","occurred_at":"2026-01-05T09:00:00Z","interaction_type":"chat","success":true,"tokens_in":1.5,"response_time_ms":-1}"#)
            == "interaction_type: invalid value (expected one of user_query, tool_call, code_generation, validation, got \"chat\"); response_time_ms: out of range (expected 0..., got -1); tokens_in: wrong type (expected integer, got 1.5)")
        #expect(reasons(#"{"type":"context","event_id":"\#(id)","session_id":"s","occurred_at":"2026-01-05T09:00:00Z","context_type":"open_files","relevance_score":1.5}"#)
            == "data: missing required field; relevance_score: out of range (expected 0...1, got 1.5)")
        #expect(reasons(#"{"type":"session_end","event_id":"\#(id)","session_id":"s","ended_at":"2026-01-05T09:00:00Z","tags":["a",3]}"#)
            == "tags[1]: wrong type (expected string, got number)")
        #expect(reasons(#"{"type":"session_end","type":"x","event_id":"\#(id)","session_id":"s","ended_at":"2026-01-05T09:00:00Z"}"#)
            == "type: invalid value (duplicate key)")
        #expect(reasons(String(repeating: " ", count: 2001)) == "line: line too long (expected at most 2000 bytes, got 2001)")
        #expect(reasons(#"{"type":"feedback","text":"\u0000"}"#)?.hasPrefix("line: invalid JSON (at byte") == true)
    }

    /// README: success of an interaction is nullable, "not reported, never zero".
    @Test func interactionSuccessIsOptional() throws {
        let base = #"{"type":"interaction","event_id":"\#(id)","session_id":"s","occurred_at":"2026-01-05T09:00:00Z","interaction_type":"user_query""#
        for (line, expected) in [(base + "}", nil), (base + #","success":null}"#, nil), (base + #","success":false}"#, false),
                                 (base + #","success":"true"}"#, true)] as [(String, Bool?)] {
            guard case .interaction(let e) = try decoder.decode(line: line).get() else { Issue.record("not an interaction"); continue }
            #expect(e.success == expected, "\(line)")
        }
        #expect(reasons(base + #","success":"maybe"}"#) == #"success: wrong type (expected boolean, got string "maybe")"#)
        // A tool call still has to say whether it worked.
        #expect(reasons(#"{"type":"tool_usage","event_id":"\#(id)","session_id":"s","occurred_at":"2026-01-05T09:00:00Z","tool_name":"grep"}"#)
            == "success: missing required field")
    }

    /// RFC 3339 section 5.6 lets a space stand for `T`; a time without an offset is refused and the
    /// reason says what is missing.
    @Test func timestampsWithASpaceAndWithoutAnOffset() throws {
        let prefix = #"{"type":"feedback","event_id":"\#(id)","session_id":"s","rating":4,"occurred_at":"#
        guard case .feedback(let a) = try decoder.decode(line: prefix + #""2026-01-05 09:00:00Z"}"#).get(),
              case .feedback(let b) = try decoder.decode(line: prefix + #""2026-01-05 11:00:00+02:00"}"#).get() else {
            Issue.record("not feedback"); return
        }
        #expect(a.occurredAt.secondsSince1970 == 1_767_603_600)  // 2026-01-05 09:00 UTC = 20458 days × 86400 + 9 h
        #expect(b.occurredAt.secondsSince1970 == 1_767_603_600)
        #expect(a.occurredAt.text == "2026-01-05T09:00:00Z" && b.occurredAt.text == "2026-01-05T11:00:00+02:00")
        #expect(reasons(prefix + #""2026-01-05T09:00:00"}"#)
            == #"occurred_at: timestamp unparseable (no time zone offset (add Z or ±hh:mm), got "2026-01-05T09:00:00")"#)
        #expect(reasons(prefix + #""2026-01-05 09:00:00.5"}"#)
            == #"occurred_at: timestamp unparseable (no time zone offset (add Z or ±hh:mm), got "2026-01-05 09:00:00.5")"#)
        #expect(reasons(prefix + #""2026-01-05T09:00"}"#)
            == #"occurred_at: timestamp unparseable (expected RFC 3339, got "2026-01-05T09:00")"#)
    }

    /// README: integer fields take strings of digits with an optional `.0…`; exponents only as JSON numbers.
    @Test func integerStringsAreDigitsOnly() throws {
        let base = #"{"type":"interaction","event_id":"\#(id)","session_id":"s","occurred_at":"2026-01-05T09:00:00Z","interaction_type":"user_query","tokens_in":"#
        for (value, expected) in [("1e2", 100), (#""100""#, 100), (#""100.00""#, 100)] {
            guard case .interaction(let e) = try decoder.decode(line: base + value + "}").get() else { Issue.record("not an interaction"); continue }
            #expect(e.tokensIn == expected, "\(value)")
        }
        #expect(reasons(base + #""1e2"}"#) == #"tokens_in: wrong type (expected integer, got string "1e2")"#)
    }

    @Test func invalidUTF8IsReportedWithItsOffset() {
        var bytes = Array(#"{"type":"feedback","text":"caf"#.utf8)
        bytes.append(0xC3)  // truncated two-byte sequence
        bytes.append(contentsOf: Array("\"}".utf8))
        let result = bytes.withUnsafeBufferPointer { decoder.decode(line: $0) }
        guard case .failure(let r) = result else { Issue.record("accepted invalid UTF-8"); return }
        #expect(r.description == "line: invalid UTF-8 (at byte 31)")
        #expect(r.code == "invalid_utf8")
        let good = Array("héllo wörld €𝄞".utf8)
        #expect(good.withUnsafeBufferPointer { EventDecoder.firstInvalidUTF8Offset($0) } == nil)
        let surrogate: [UInt8] = [0x61, 0xED, 0xA0, 0x80]
        #expect(surrogate.withUnsafeBufferPointer { EventDecoder.firstInvalidUTF8Offset($0) } == 1)
    }

    @Test func timestamps() {
        #expect(TimestampText.seconds(rfc3339: "1970-01-01T00:00:00Z") == 0)
        #expect(TimestampText.seconds(rfc3339: "2000-02-29T12:00:00.250Z") == 951_825_600.25)
        #expect(TimestampText.seconds(rfc3339: "2026-01-05T10:00:00+01:00") == TimestampText.seconds(rfc3339: "2026-01-05T09:00:00Z"))
        #expect(TimestampText.seconds(rfc3339: "2026-01-05 09:00:00z") == TimestampText.seconds(rfc3339: "2026-01-05T09:00:00Z"))
        for bad in ["2026-01-05", "2026-13-01T00:00:00Z", "2026-01-05T24:00:00Z", "2026-01-05T09:00:00",
                    "2026-01-05T09:00:00+0100", "2025-02-29T00:00:00Z", "2026-01-05T09:00:00.Z"] {
            #expect(TimestampText.seconds(rfc3339: bad) == nil, "\(bad)")
        }
        #expect(TimestampText.format(secondsSince1970: 951_825_600.25) == "2000-02-29T12:00:00.250Z")
    }

    @Test func jsonReaderRoundTrips() throws {
        let text = #"{"a":[1,-2.5e3,true,null],"b":{"c":"é\n\"\u00e9\ud83d\ude00"}}"#
        let value = try JSONReader.parse(text)
        #expect(value.jsonText == "{\"a\":[1,-2.5e3,true,null],\"b\":{\"c\":\"é\\n\\\"é😀\"}}")
        for bad in ["{", "[1,]", "01", "\"\\ud800\"", "{\"a\" 1}", "tru", "1 2", "\"\\x\""] {
            #expect(throws: JSONSyntaxError.self, "\(bad)") { try JSONReader.parse(bad) }
        }
    }
}
