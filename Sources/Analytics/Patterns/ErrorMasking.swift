import Foundation

/// Reduces an error message to a template by masking its variable parts, in the manner of the
/// Drain log parser's preprocessing (He et al. 2017): what varies between occurrences of the same
/// error (numbers, paths, ids) becomes a placeholder, so occurrences can be grouped and counted.
///
/// Masks, applied in this order (each sees the text left by the previous ones):
/// `<STR>` a quoted string ('…', "…", `…`; an apostrophe inside a word such as can't is not a
/// quote), `<URL>` scheme://…, `<UUID>` 8-4-4-4-12 hex, `<IP>` an IPv4 address with optional
/// port, `<PATH>` a path with at least one slash (trailing sentence punctuation kept outside),
/// `<HEX>` 0x… or a word of 8 or more hex digits with both a digit and a letter, `<ID>` a word
/// that starts with a letter and contains a digit (req-4821, node7), `<NUM>` a number with an
/// optional decimal part and short unit (42, -3.5, 500ms, 1.2.3, 75%). Runs of whitespace become
/// one space.
public enum ErrorMasking {
    private struct Rule {
        let regex: NSRegularExpression
        let mask: String
    }

    nonisolated(unsafe) private static let rules: [Rule] = {
        let table: [(String, String)] = [
            (#"(?<![\w])'[^'\n]*'(?![\w])|"[^"\n]*"|`[^`\n]*`"#, "<STR>"),
            (#"\b[A-Za-z][A-Za-z0-9+.-]*://[^\s"'<>]+"#, "<URL>"),
            (#"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b"#, "<UUID>"),
            (#"\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b"#, "<IP>"),
            (#"(?:~|\.{1,2})?(?:/[\w.@%+-]*[\w@%+-])+/?|\b[\w.-]*\w(?:/[\w.@%+-]*[\w@%+-])+/?"#, "<PATH>"),
            (#"\b0[xX][0-9a-fA-F]+\b|\b(?=[0-9a-fA-F]*[0-9])(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{8,}\b"#, "<HEX>"),
            (#"\b[A-Za-z][\w-]*\d[\w-]*"#, "<ID>"),
            (#"(?<![\w.<])[-+]?\d+(?:\.\d+)*(?:[A-Za-z]{1,2}|%)?(?![\w])"#, "<NUM>"),
        ]
        // the patterns are constants: a failure here is a bug caught by the tests
        return table.compactMap { pattern, mask in
            (try? NSRegularExpression(pattern: pattern)).map { Rule(regex: $0, mask: mask) }
        }
    }()

    /// The masked template of `message`.
    public static func mask(_ message: String) -> String {
        var text = message
        for rule in rules {
            let range = NSRange(text.startIndex..., in: text)
            text = rule.regex.stringByReplacingMatches(in: text, range: range, withTemplate: rule.mask)
        }
        return text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// Whether a template token is a placeholder.
    static func isPlaceholder(_ token: Substring) -> Bool { token.hasPrefix("<") && token.hasSuffix(">") && token.count > 2 }
}

/// Groups masked messages into templates as Drain does: messages with the same number of
/// tokens and the same first token go to one bucket (Drain's fixed-depth tree of depth 2);
/// within a bucket a message joins the template it shares the largest fraction of positions
/// with, if that fraction reaches `similarityThreshold`, and the positions where they differ
/// become `<*>`. Otherwise it starts a new template. Cost per message: the templates of its
/// bucket, which stay few because the masks have removed what varies.
public struct ErrorTemplateMiner: Sendable {
    public let similarityThreshold: Double
    /// The current templates, by id.
    public private(set) var templates: [String] = []
    private var tokens: [[Substring]] = []
    private var buckets: [String: [Int]] = [:]

    public init(similarityThreshold: Double = 0.5) {
        self.similarityThreshold = similarityThreshold
    }

    /// Adds a message (raw; masked here) and returns the id of its template.
    public mutating func add(_ message: String) -> Int {
        let masked = ErrorMasking.mask(message)
        let words = masked.split(separator: " ")
        let first = words.first.map { ErrorMasking.isPlaceholder($0) ? "*" : String($0) } ?? ""
        let key = "\(words.count)|\(first)"
        var best: (id: Int, similarity: Double)?
        for id in buckets[key] ?? [] {
            let template = tokens[id]
            var same = 0
            for (a, b) in zip(template, words) where a == b { same += 1 }
            let similarity = words.isEmpty ? 1 : Double(same) / Double(words.count)
            if similarity >= similarityThreshold, similarity > (best?.similarity ?? -1) { best = (id, similarity) }
        }
        if let best {
            var merged = tokens[best.id]
            for i in merged.indices where merged[i] != words[i] { merged[i] = "<*>" }
            tokens[best.id] = merged
            templates[best.id] = merged.joined(separator: " ")
            return best.id
        }
        tokens.append(words)
        templates.append(masked)
        buckets[key, default: []].append(tokens.count - 1)
        return tokens.count - 1
    }
}
