import Foundation
import Store

/// What a fairness report groups developers or work by: a `key:value` session tag (the simulator
/// writes `cohort:NAME`), a key of the session context, the session's task type, or the language
/// of a code generation. Only pseudonymous data are read: developer ids are the stored keyed
/// hashes, used solely as clusters.
public struct FairnessGrouping: Sendable, Equatable {
    public enum Source: String, Sendable { case tag, context, taskType = "task_type", language }
    public let name: String
    public let source: Source

    /// SQL for the group of a session row aliased `s` (and a generation row `g` for language).
    /// The key is a literal: `resolve` admits only names of letters, digits, `_`, `.` and `-`.
    var expression: String {
        switch source {
        case .tag: return "(SELECT substr(t, \(name.utf8.count + 2)) FROM unnest(s.tags) t WHERE left(t, \(name.utf8.count + 1)) = '\(name):' ORDER BY t LIMIT 1)"
        case .context: return "(s.context ->> '\(name)')"
        case .taskType: return "s.task_type"
        case .language: return "g.language"
        }
    }

    /// Resolves `name`: `task_type` and `language` are columns; otherwise a tag key if any session
    /// has a tag `name:…`, else a context key if any session's context has it. With no name:
    /// `cohort` when sessions carry cohort tags, else `task_type`.
    /// - Throws: ``FairnessReportError`` listing the groupings the data offer.
    public static func resolve(_ name: String?, connection: Connection) throws -> FairnessGrouping {
        let tagKeys = try connection.execute("SELECT DISTINCT split_part(t, ':', 1) FROM ai_sessions, unnest(tags) t WHERE position(':' IN t) > 1 ORDER BY 1")
            .compactMap { $0.text(0) }
        let contextKeys = try connection.execute("SELECT DISTINCT k FROM ai_sessions, jsonb_object_keys(CASE WHEN jsonb_typeof(context) = 'object' THEN context ELSE '{}' END) k ORDER BY 1")
            .compactMap { $0.text(0) }
        guard let name else {
            return tagKeys.contains("cohort") ? FairnessGrouping(name: "cohort", source: .tag) : FairnessGrouping(name: "task_type", source: .taskType)
        }
        guard !name.isEmpty, name.unicodeScalars.allSatisfy({ ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || "_.-".unicodeScalars.contains($0) }) else {
            throw FairnessReportError("--group must be a tag key, a context key, task_type or language (letters, digits, _ . -); got '\(name)'")
        }
        if name == "task_type" { return FairnessGrouping(name: name, source: .taskType) }
        if name == "language" { return FairnessGrouping(name: name, source: .language) }
        if tagKeys.contains(name) { return FairnessGrouping(name: name, source: .tag) }
        if contextKeys.contains(name) { return FairnessGrouping(name: name, source: .context) }
        let offered = ["task_type", "language"] + tagKeys.map { "\($0) (tag)" } + contextKeys.map { "\($0) (context)" }
        throw FairnessReportError("--group \(name): no session tag '\(name):…' and no session context key '\(name)'; the data offer: \(offered.joined(separator: ", "))")
    }
}

/// A fairness report cannot be made as asked (an unknown grouping, too little data).
public struct FairnessReportError: Error, CustomStringConvertible {
    public let description: String
    public init(_ message: String) { description = message }
}
