import Foundation
import Primitives

/// One reason a record was refused, naming the field (or `line` for the record as a whole).
public struct FieldError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of problem it is; the raw value is stored in `ingest_rejects.reason_code`.
    public enum Kind: String, Sendable, Equatable {
        case invalidUTF8 = "invalid_utf8"
        case lineTooLong = "line_too_long"
        case invalidJSON = "invalid_json"
        case unknownEventType = "unknown_event_type"
        case missingField = "missing_field"
        case wrongType = "wrong_type"
        case outOfRange = "out_of_range"
        case invalidValue = "invalid_value"
        case invalidTimestamp = "invalid_timestamp"
        case unknownField = "unknown_field"
        /// The event id (or the session's start or end) is already recorded with other content.
        case conflict
    }

    public var field: String
    public var kind: Kind
    /// Expected versus found, or the parser's message.
    public var detail: String

    public init(field: String, kind: Kind, detail: String = "") {
        self.field = field
        self.kind = kind
        self.detail = detail
    }

    private var phrase: String {
        switch kind {
        case .invalidUTF8: return "invalid UTF-8"
        case .lineTooLong: return "line too long"
        case .invalidJSON: return "invalid JSON"
        case .unknownEventType: return "unknown event type"
        case .missingField: return "missing required field"
        case .wrongType: return "wrong type"
        case .outOfRange: return "out of range"
        case .invalidValue: return "invalid value"
        case .invalidTimestamp: return "timestamp unparseable"
        case .unknownField: return "unknown field"
        case .conflict: return "conflict"
        }
    }

    /// `field: phrase (detail)`, e.g. `rating: out of range (expected 1...5, got 7)`.
    public var description: String { detail.isEmpty ? "\(field): \(phrase)" : "\(field): \(phrase) (\(detail))" }
}

/// Why a whole record was refused: every field-level error found in it, in schema order.
public struct RecordRejection: Error, Sendable, Equatable, CustomStringConvertible {
    public var errors: [FieldError]
    public init(_ errors: [FieldError]) { self.errors = errors }
    /// All reasons joined by `; `.
    public var description: String { errors.map(\.description).joined(separator: "; ") }
    /// The first error's kind, for grouping.
    public var code: String { errors.first?.kind.rawValue ?? "unknown" }
}

/// Decodes and validates one line of the NDJSON ingest format into a `TrackingEvent`.
///
/// Contract (see `schemas/tracking-event.schema.json`): an object with `type`, `event_id` (UUID),
/// `session_id` and the fields of that type. Optional fields may be absent or `null`. Numbers may
/// come as JSON numbers or as numeric strings (integer fields: digits with an optional `.0…`, no
/// exponent), timestamps as RFC 3339 with a zone offset (`T`, `t` or a space between date and
/// time), booleans as `true`/`false` or `"true"`/`"false"`
/// (telemetry often stringifies them). Unknown fields are refused (`unknown field`) so that a
/// misspelt field never silently loses data.
public struct EventDecoder: Sendable {
    /// Longest accepted line in bytes (excluding the newline).
    public var maximumLineLength: Int
    /// Longest accepted identifier or name (`session_id`, `generation_id`, `tool_name`, `language`, …).
    public static let maximumIdentifierLength = 200

    public init(maximumLineLength: Int = 1 << 20) { self.maximumLineLength = maximumLineLength }

    /// Decodes one line (without its newline).
    public func decode(line: UnsafeBufferPointer<UInt8>) -> Result<TrackingEvent, RecordRejection> {
        if line.count > maximumLineLength {
            return .failure(RecordRejection([FieldError(field: "line", kind: .lineTooLong,
                detail: "expected at most \(maximumLineLength) bytes, got \(line.count)")]))
        }
        if let bad = EventDecoder.firstInvalidUTF8Offset(line) {
            return .failure(RecordRejection([FieldError(field: "line", kind: .invalidUTF8, detail: "at byte \(bad + 1)")]))
        }
        let value: JSONValue
        do {
            value = try JSONReader.parse(line)
        } catch {
            return .failure(RecordRejection([FieldError(field: "line", kind: .invalidJSON,
                detail: "at byte \(error.offset + 1): \(error.message)")]))
        }
        return decode(value)
    }

    /// Decodes one line given as text.
    public func decode(line: String) -> Result<TrackingEvent, RecordRejection> {
        var copy = line
        return copy.withUTF8 { decode(line: $0) }
    }

    /// Validates an already parsed value.
    public func decode(_ value: JSONValue) -> Result<TrackingEvent, RecordRejection> {
        guard case .object(let members) = value else {
            return .failure(RecordRejection([FieldError(field: "line", kind: .wrongType,
                detail: "expected object, got \(value.typeName)")]))
        }
        var r = FieldReader(members: members)
        guard let typeValue = r.take("type"), typeValue != .null else {
            return .failure(RecordRejection([FieldError(field: "type", kind: .missingField)]))
        }
        guard case .string(let typeName) = typeValue else {
            return .failure(RecordRejection([FieldError(field: "type", kind: .wrongType,
                detail: "expected string, got \(typeValue.typeName)")]))
        }
        guard let type = EventType(rawValue: typeName) else {
            return .failure(RecordRejection([FieldError(field: "type", kind: .unknownEventType,
                detail: "got \(EventDecoder.quote(typeName)); expected one of \(EventType.allCases.map(\.rawValue).joined(separator: ", "))")]))
        }
        let eventID = r.uuid("event_id")
        let sessionID = r.identifier("session_id")
        let event: TrackingEvent?
        switch type {
        case .sessionStart:
            let developer = r.string("developer")
            let startedAt = r.timestamp("started_at", required: true)
            let taskType = r.name("task_type")
            let context = r.json("context")
            let tags = r.stringArray("tags")
            event = r.ok ? .sessionStart(SessionStart(eventID: eventID!, sessionID: sessionID!, developer: developer,
                startedAt: startedAt!, taskType: taskType, context: context, tags: tags)) : nil
        case .interaction:
            let at = r.timestamp("occurred_at", required: true)
            let kind: InteractionType? = r.enumeration("interaction_type", required: true)
            let model = r.name("model")
            // Optional: a client may not know whether an interaction succeeded (NULL, not false).
            let success = r.bool("success")
            let time = r.double("response_time_ms", range: 0...Double.greatestFiniteMagnitude)
            let tokensIn = r.int("tokens_in", range: 0...Int(Int32.max))
            let tokensOut = r.int("tokens_out", range: 0...Int(Int32.max))
            let errorType = r.name("error_type")
            let errorMessage = r.string("error_message")
            let tags = r.stringArray("context_tags")
            event = r.ok ? .interaction(Interaction(eventID: eventID!, sessionID: sessionID!, occurredAt: at!,
                interactionType: kind!, model: model, success: success, responseTimeMs: time, tokensIn: tokensIn,
                tokensOut: tokensOut, errorType: errorType, errorMessage: errorMessage, contextTags: tags)) : nil
        case .toolUsage:
            let at = r.timestamp("occurred_at", required: true)
            let tool = r.string("tool_name", required: true, nonEmpty: true).flatMap { r.limitLength("tool_name", $0) }
            let success = r.bool("success", required: true)
            let time = r.double("execution_time_ms", range: 0...Double.greatestFiniteMagnitude)
            let errorType = r.name("error_type")
            let errorMessage = r.string("error_message")
            let parameters = r.json("parameters")
            event = r.ok ? .toolUsage(ToolUsage(eventID: eventID!, sessionID: sessionID!, occurredAt: at!, toolName: tool!,
                success: success!, executionTimeMs: time, errorType: errorType, errorMessage: errorMessage,
                parameters: parameters)) : nil
        case .codeGeneration:
            let at = r.timestamp("occurred_at", required: true)
            let generationID = r.string("generation_id", nonEmpty: true).flatMap { r.limitLength("generation_id", $0) }
            let filePath = r.string("file_path")
            let kind: GenerationType? = r.enumeration("generation_type", required: true)
            let language = r.name("language")
            let lines = r.int("lines_generated", range: 0...Int(Int32.max))
            let complexity = r.double("complexity", range: 0...Double.greatestFiniteMagnitude)
            let accepted = r.bool("accepted")
            // decided_at = occurred_at + this: beyond ~31 years PostgreSQL's interval overflows.
            let decision = r.double("time_to_decision_ms", range: 0...EventDecoder.maximumTimeToDecisionMs)
            let modified = r.int("lines_modified", range: 0...Int(Int32.max))
            event = r.ok ? .codeGeneration(CodeGeneration(eventID: eventID!, sessionID: sessionID!, occurredAt: at!,
                generationID: generationID ?? eventID!.uuidString.lowercased(), filePath: filePath, generationType: kind!,
                language: language, linesGenerated: lines, complexity: complexity, accepted: accepted,
                timeToDecisionMs: decision, linesModified: modified)) : nil
        case .feedback:
            let at = r.timestamp("occurred_at", required: true)
            let rating = r.int("rating", required: true, range: 1...5)
            let text = r.string("text")
            let tags = r.stringArray("context_tags")
            event = r.ok ? .feedback(Feedback(eventID: eventID!, sessionID: sessionID!, occurredAt: at!, rating: rating!,
                text: text, contextTags: tags)) : nil
        case .context:
            let at = r.timestamp("occurred_at", required: true)
            let kind: ContextType? = r.enumeration("context_type", required: true)
            let data = r.json("data", required: true)
            let relevance = r.double("relevance_score", range: 0...1)
            event = r.ok ? .context(ContextEvent(eventID: eventID!, sessionID: sessionID!, occurredAt: at!,
                contextType: kind!, data: data!, relevanceScore: relevance)) : nil
        case .learning:
            let at = r.timestamp("occurred_at", required: true)
            let learningType = r.string("learning_type", required: true, nonEmpty: true).flatMap { r.limitLength("learning_type", $0) }
            let description = r.string("description")
            let confidence = r.double("confidence_score", required: true, range: 0...1)
            let applied = r.bool("applied")
            let appliedSuccessfully = r.bool("applied_successfully")
            if applied != true, let appliedSuccessfully {
                r.errors.append(FieldError(field: "applied_successfully", kind: .invalidValue,
                    detail: "must be null unless applied is true, got \(appliedSuccessfully)"))
            }
            event = r.ok ? .learning(LearningEvent(eventID: eventID!, sessionID: sessionID!, occurredAt: at!,
                learningType: learningType!, description: description, confidenceScore: confidence!,
                applied: applied ?? false, appliedSuccessfully: appliedSuccessfully)) : nil
        case .sessionEnd:
            let at = r.timestamp("ended_at", required: true)
            let rating = r.int("rating", range: 1...5)
            let text = r.string("text")
            let tags = r.stringArray("tags")
            event = r.ok ? .sessionEnd(SessionEnd(eventID: eventID!, sessionID: sessionID!, endedAt: at!, rating: rating,
                text: text, tags: tags)) : nil
        }
        r.reportUnknownFields()
        if let event, r.ok { return .success(event) }
        return .failure(RecordRejection(r.errors))
    }

    static func quote(_ s: String) -> String {
        let clipped = s.count > 60 ? String(s.prefix(60)) + "…" : s
        var out = ""
        JSONValue.writeString(clipped, to: &out)
        return out
    }

    /// Offset of the first byte that breaks UTF-8 well-formedness, or nil.
    static func firstInvalidUTF8Offset(_ b: UnsafeBufferPointer<UInt8>) -> Int? {
        var i = 0
        let n = b.count
        while i < n {
            let c = b[i]
            if c < 0x80 { i += 1; continue }
            let need: Int
            var lower: UInt8 = 0x80, upper: UInt8 = 0xBF
            switch c {
            case 0xC2...0xDF: need = 1
            case 0xE0: need = 2; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: need = 2
            case 0xED: need = 2; upper = 0x9F
            case 0xF0: need = 3; lower = 0x90
            case 0xF1...0xF3: need = 3
            case 0xF4: need = 3; upper = 0x8F
            default: return i
            }
            guard i + need < n else { return i }
            let second = b[i + 1]
            if second < lower || second > upper { return i }
            var k = 2
            while k <= need {
                let cc = b[i + k]
                if cc < 0x80 || cc > 0xBF { return i }
                k += 1
            }
            i += need + 1
        }
        return nil
    }
}

/// Reads typed fields out of a JSON object, collecting field-level errors.
struct FieldReader {
    let members: [(key: String, value: JSONValue)]
    var used: [Bool]
    var errors: [FieldError] = []

    init(members: [(key: String, value: JSONValue)]) {
        self.members = members
        self.used = Array(repeating: false, count: members.count)
        // Duplicate keys are refused: which one wins differs between JSON readers.
        if members.count > 1 {
            var seen = Set<String>()
            for m in members where !seen.insert(m.key).inserted {
                errors.append(FieldError(field: m.key, kind: .invalidValue, detail: "duplicate key"))
            }
        }
    }

    var ok: Bool { errors.isEmpty }

    mutating func take(_ name: String) -> JSONValue? {
        for k in members.indices where members[k].key == name {
            used[k] = true
            return members[k].value
        }
        return nil
    }

    private mutating func fail(_ name: String, _ kind: FieldError.Kind, _ detail: String = "") {
        errors.append(FieldError(field: name, kind: kind, detail: detail))
    }

    private mutating func present(_ name: String, required: Bool) -> JSONValue? {
        guard let v = take(name), v != .null else {
            if required { fail(name, .missingField) }
            return nil
        }
        return v
    }

    private mutating func wrongType(_ name: String, expected: String, got v: JSONValue) {
        fail(name, .wrongType, "expected \(expected), got \(v.typeName)")
    }

    mutating func string(_ name: String, required: Bool = false, nonEmpty: Bool = false) -> String? {
        guard let v = present(name, required: required) else { return nil }
        guard case .string(let s) = v else { wrongType(name, expected: "string", got: v); return nil }
        if nonEmpty && s.isEmpty { fail(name, .invalidValue, "must not be empty"); return nil }
        return s
    }

    /// An optional name that is indexed or grouped on (language, model, error type, …): at most
    /// `maximumIdentifierLength` characters, so that no value can exceed a btree index row.
    mutating func name(_ name: String) -> String? {
        string(name).flatMap { limitLength(name, $0) }
    }

    mutating func identifier(_ name: String) -> String? {
        guard let s = string(name, required: true, nonEmpty: true) else { return nil }
        return limitLength(name, s)
    }

    /// Enforces the 200-character limit of identifiers and names (`length()` in PostgreSQL counts code points).
    mutating func limitLength(_ name: String, _ s: String) -> String? {
        let length = s.unicodeScalars.count
        if length > EventDecoder.maximumIdentifierLength {
            fail(name, .outOfRange, "expected at most \(EventDecoder.maximumIdentifierLength) characters, got \(length)")
            return nil
        }
        return s
    }

    mutating func uuid(_ name: String) -> UUID? {
        guard let s = string(name, required: true) else { return nil }
        guard s.utf8.count == 36, let u = UUID(uuidString: s) else {
            fail(name, .invalidValue, "expected a UUID, got \(EventDecoder.quote(s))")
            return nil
        }
        return u
    }

    mutating func timestamp(_ name: String, required: Bool) -> Timestamp? {
        guard let s = string(name, required: required) else { return nil }
        guard let t = TimestampText.seconds(rfc3339: s) else {
            // A local time is ambiguous (which zone?), so it is refused, saying what is missing.
            let missingOffset = TimestampText.seconds(rfc3339: s + "Z") != nil
            fail(name, .invalidTimestamp, missingOffset
                 ? "no time zone offset (add Z or ±hh:mm), got \(EventDecoder.quote(s))"
                 : "expected RFC 3339, got \(EventDecoder.quote(s))")
            return nil
        }
        // PostgreSQL reads RFC 3339 as is; only the separator and `z` are normalised.
        var text = s
        if s.utf8.contains(where: { $0 == 0x20 || $0 == 0x74 || $0 == 0x7A }) {
            var bytes = Array(s.utf8)
            if bytes[10] == 0x20 || bytes[10] == 0x74 { bytes[10] = 0x54 }
            if bytes[bytes.count - 1] == 0x7A { bytes[bytes.count - 1] = 0x5A }
            text = String(decoding: bytes, as: UTF8.self)
        }
        return Timestamp(secondsSince1970: t, text: text)
    }

    mutating func bool(_ name: String, required: Bool = false) -> Bool? {
        guard let v = present(name, required: required) else { return nil }
        switch v {
        case .bool(let b): return b
        case .string("true"): return true
        case .string("false"): return false
        case .string(let s): fail(name, .wrongType, "expected boolean, got string \(EventDecoder.quote(s))"); return nil
        default: wrongType(name, expected: "boolean", got: v); return nil
        }
    }

    private func numberText(_ v: JSONValue) -> String? {
        switch v {
        case .number(let n): return n
        case .string(let s): return s
        default: return nil
        }
    }

    /// A numeric string must be written as a JSON number (as the schema's pattern says): no hex,
    /// `inf`, `+5` or `.5`; an integer field takes `-?digits` with an optional `.0…`.
    private mutating func checkNumericString(_ name: String, _ v: JSONValue, integer: Bool) -> Bool {
        guard case .string(let s) = v else { return true }
        if let token = JSONNumber.whole(s), !integer || (!token.hasExponent && token.fractionIsZero) { return true }
        fail(name, .wrongType, "expected \(integer ? "integer" : "number"), got string \(EventDecoder.quote(s))")
        return false
    }

    mutating func double(_ name: String, required: Bool = false, range: ClosedRange<Double>) -> Double? {
        guard let v = present(name, required: required) else { return nil }
        guard let text = numberText(v) else { wrongType(name, expected: "number", got: v); return nil }
        guard checkNumericString(name, v, integer: false) else { return nil }
        guard let d = Double(text), d.isFinite else {
            if let problem = EventDecoder.numberRangeProblem(text) {
                fail(name, .outOfRange, problem)
            } else {
                fail(name, .wrongType, "expected number, got string \(EventDecoder.quote(text))")
            }
            return nil
        }
        guard range.contains(d) else {
            let upper = range.upperBound == .greatestFiniteMagnitude ? "" : EventDecoder.format(range.upperBound)
            fail(name, .outOfRange, "expected \(EventDecoder.format(range.lowerBound))...\(upper), got \(text)")
            return nil
        }
        return d == 0 ? 0 : d  // -0 is stored as 0
    }

    mutating func int(_ name: String, required: Bool = false, range: ClosedRange<Int>) -> Int? {
        guard let v = present(name, required: required) else { return nil }
        guard let text = numberText(v) else { wrongType(name, expected: "integer", got: v); return nil }
        guard checkNumericString(name, v, integer: true) else { return nil }
        let value: Int
        if let i = Int(text) {
            value = i
        } else if let d = Double(text), d.isFinite, d == d.rounded(), abs(d) < 9.0e15 {
            value = Int(d)
        } else if let d = Double(text), d.isFinite, d != d.rounded() {
            fail(name, .wrongType, "expected integer, got \(text)")
            return nil
        } else if Double(text) != nil {
            fail(name, .outOfRange, "expected \(range.lowerBound)...\(range.upperBound), got \(text)")
            return nil
        } else {
            fail(name, .wrongType, "expected integer, got string \(EventDecoder.quote(text))")
            return nil
        }
        guard range.contains(value) else {
            fail(name, .outOfRange, "expected \(range.lowerBound)...\(range.upperBound), got \(text)")
            return nil
        }
        return value
    }

    mutating func enumeration<E: RawRepresentable & CaseIterable>(_ name: String, required: Bool) -> E? where E.RawValue == String {
        guard let s = string(name, required: required) else { return nil }
        guard let e = E(rawValue: s) else {
            fail(name, .invalidValue, "expected one of \(E.allCases.map(\.rawValue).joined(separator: ", ")), got \(EventDecoder.quote(s))")
            return nil
        }
        return e
    }

    mutating func stringArray(_ name: String) -> [String]? {
        guard let v = present(name, required: false) else { return nil }
        guard case .array(let items) = v else { wrongType(name, expected: "array of strings", got: v); return nil }
        var out: [String] = []
        out.reserveCapacity(items.count)
        for (k, item) in items.enumerated() {
            guard case .string(let s) = item else {
                fail("\(name)[\(k)]", .wrongType, "expected string, got \(item.typeName)")
                return nil
            }
            out.append(s)
        }
        return out
    }

    mutating func json(_ name: String, required: Bool = false) -> JSONText? {
        guard let v = present(name, required: required) else { return nil }
        if let problem = EventDecoder.firstNumberRangeProblem(in: v) {
            fail(name, .outOfRange, problem)
            return nil
        }
        return JSONText(v.jsonText)
    }

    /// One error per unknown key (a repeated key was reported as a duplicate already); linear
    /// in the number of keys, so a line with 100,000 unknown keys is refused as fast as any other.
    mutating func reportUnknownFields() {
        var seen = Set<String>()
        for k in members.indices {
            guard seen.insert(members[k].key).inserted else { continue }
            if !used[k] { fail(members[k].key, .unknownField) }
        }
    }
}

extension EventDecoder {
    /// Most digits after the decimal point PostgreSQL's `numeric` (and so `jsonb`) can hold.
    static let maximumNumericScale = 16383
    /// Longest accepted `time_to_decision_ms` (10^12 ms, about 31.7 years).
    public static let maximumTimeToDecisionMs = 1e12

    /// Why a number in JSON syntax cannot be stored (nil when it can, or when `text` is not a JSON
    /// number): beyond the range of a double ("number too large"), or more digits after the decimal
    /// point than `numeric` holds, counting the exponent (`0.5e-16383`).
    static func numberRangeProblem(_ text: String) -> String? {
        guard let token = JSONNumber.whole(text) else { return nil }
        if let d = Double(text), d.isInfinite { return "number too large" }
        if token.fractionDigits - token.exponent > maximumNumericScale {
            return "number with more than \(maximumNumericScale) digits after the decimal point"
        }
        return nil
    }

    /// The first number inside `value` that cannot be stored, as `numberRangeProblem` describes it.
    static func firstNumberRangeProblem(in value: JSONValue) -> String? {
        switch value {
        case .number(let n): return numberRangeProblem(n)
        case .array(let items):
            for item in items { if let p = firstNumberRangeProblem(in: item) { return p } }
            return nil
        case .object(let members):
            for m in members { if let p = firstNumberRangeProblem(in: m.value) { return p } }
            return nil
        default: return nil
        }
    }

    static func format(_ d: Double) -> String {
        d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
    }
}
