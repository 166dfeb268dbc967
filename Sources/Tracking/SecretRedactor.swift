import Foundation

/// Replaces secrets in free text with typed markers such as `[REDACTED:aws_access_key]`.
///
/// Covered: AWS access key ids and secret keys written as `aws_secret_access_key=…`, GitHub
/// tokens (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`, `github_pat_`), Anthropic (`sk-ant-…`) and
/// OpenAI-style (`sk-…`, `sk-proj-…`) API keys, bearer tokens, PEM private key blocks, passwords in
/// URLs (`scheme://user:password@host`) and e-mail addresses. A cheap pre-check skips the regular
/// expressions for text that cannot contain any of them, so ordinary text costs one scan.
public struct SecretRedactor: Sendable {
    /// The kinds of secret recognised; the raw value appears in the marker.
    public enum Kind: String, CaseIterable, Sendable {
        case privateKey = "private_key"
        case awsAccessKey = "aws_access_key"
        case awsSecretKey = "aws_secret_key"
        case githubToken = "github_token"
        case anthropicAPIKey = "anthropic_api_key"
        case openAIAPIKey = "openai_api_key"
        case bearerToken = "bearer_token"
        case urlPassword = "url_password"
        case email
    }

    private struct Rule: @unchecked Sendable {  // NSRegularExpression is immutable and thread-safe.
        let kind: Kind
        let regex: NSRegularExpression
        let template: String
    }

    private let rules: [Rule]

    /// The marker written in place of a secret of `kind`.
    public static func marker(_ kind: Kind) -> String { "[REDACTED:\(kind.rawValue)]" }

    public init() {
        func rule(_ kind: Kind, _ pattern: String, keep prefix: Bool = false, suffix: Bool = false) -> Rule {
            // Patterns are constants checked by the tests; a bad one is a programming error.
            let regex = try? NSRegularExpression(pattern: pattern, options: [])
            precondition(regex != nil, "invalid redaction pattern for \(kind)")
            let marker = NSRegularExpression.escapedTemplate(for: SecretRedactor.marker(kind))
            return Rule(kind: kind, regex: regex!, template: (prefix ? "$1" : "") + marker + (suffix ? "$2" : ""))
        }
        rules = [
            rule(.privateKey, #"-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----|$)"#),
            rule(.awsSecretKey, #"((?i:aws_secret_access_key|aws_secret_key|secret_access_key)["']?\s*[:=]\s*["']?)[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])"#, keep: true),
            rule(.awsAccessKey, #"(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|AROA|AIDA)[A-Z0-9]{16}(?![A-Za-z0-9])"#),
            rule(.githubToken, #"(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{30,255}|github_pat_[A-Za-z0-9_]{22,255})(?![A-Za-z0-9_])"#),
            rule(.anthropicAPIKey, #"(?<![A-Za-z0-9])sk-ant-[A-Za-z0-9_\-]{20,}"#),
            // sk-proj-/sk-svcacct-/sk-admin- + 20 or more; a bare sk- key needs a digit among its 20 or
            // more characters, so hyphenated words (sk-learn-compatible-estimators) are left alone.
            rule(.openAIAPIKey, #"(?<![A-Za-z0-9])sk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_\-]{20,}|(?=[A-Za-z0-9_\-]*[0-9])[A-Za-z0-9_\-]{20,})"#),
            // A token-like value: 16 or more token characters with a digit ("bearer authentication" is prose).
            rule(.bearerToken, #"((?i:bearer)\s+)(?=[A-Za-z0-9\-._~+/]*[0-9])[A-Za-z0-9\-._~+/]{16,}=*"#, keep: true),
            // The user may be empty (redis://:pw@host); the password runs to the last @ before the host.
            rule(.urlPassword, #"([A-Za-z][A-Za-z0-9+.\-]*://[^\s:/@\[\]]*:)[^\s/?#]+(@)(?=[^\s@/?#]+)"#, keep: true, suffix: true),
            rule(.email, #"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"#),
        ]
    }

    /// False when `text` cannot contain anything a rule matches (one pass over the bytes, looking
    /// for `@`, `sk-`, `gh?_`, `_pat_`, `-begin`, `bearer`, `secret` and the AWS key prefixes,
    /// case-insensitively).
    public static func mayContainSecret(_ text: String) -> Bool {
        @inline(__always) func tag(_ s: StaticString) -> UInt64 {
            var v: UInt64 = 0
            let p = s.utf8Start
            for k in 0..<s.utf8CodeUnitCount { v = (v << 8) | UInt64(p[k]) }
            return v
        }
        let m3: UInt64 = 0xFF_FFFF, m4: UInt64 = 0xFFFF_FFFF, m5: UInt64 = 0xFF_FFFF_FFFF, m6: UInt64 = 0xFFFF_FFFF_FFFF
        var rolling: UInt64 = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "@") { return true }
            let lower = (byte >= 65 && byte <= 90) ? byte | 0x20 : byte
            rolling = (rolling << 8) | UInt64(lower)
            switch lower {
            case UInt8(ascii: "-"):
                if rolling & m3 == tag("sk-") { return true }
            case UInt8(ascii: "_"):
                if (rolling >> 16) & 0xFFFF == tag("gh") || rolling & m5 == tag("_pat_") { return true }
            case UInt8(ascii: "n"):
                if rolling & m6 == tag("-begin") { return true }
            case UInt8(ascii: "r"):
                if rolling & m6 == tag("bearer") { return true }
            case UInt8(ascii: "t"):
                if rolling & m6 == tag("secret") { return true }
            case UInt8(ascii: "a"):
                let last4 = rolling & m4
                if last4 == tag("akia") || last4 == tag("asia") || last4 == tag("abia") || last4 == tag("acca")
                    || last4 == tag("aroa") || last4 == tag("aida") { return true }
            default: break
            }
        }
        return false
    }

    /// The text with every secret replaced by its marker, and the kinds found (in rule order).
    public func redact(_ text: String) -> (text: String, kinds: [Kind]) {
        guard SecretRedactor.mayContainSecret(text) else { return (text, []) }
        var current = text
        var kinds: [Kind] = []
        for rule in rules {
            let ns = current as NSString
            let range = NSRange(location: 0, length: ns.length)
            guard rule.regex.firstMatch(in: current, options: [], range: range) != nil else { continue }
            kinds.append(rule.kind)
            current = rule.regex.stringByReplacingMatches(in: current, options: [], range: range, withTemplate: rule.template)
        }
        return (current, kinds)
    }

    /// Redacts `text`, returning only the new text.
    public func callAsFunction(_ text: String) -> String { redact(text).text }

    /// Redacts an optional text.
    public func callAsFunction(_ text: String?) -> String? { text.map { redact($0).text } }

    /// Redacts every item of an optional list (tags).
    public func callAsFunction(_ items: [String]?) -> [String]? { items.map { $0.map { redact($0).text } } }

    /// Redacts every string value inside JSON text (keys are left alone), keeping the JSON valid.
    public func redactJSON(_ json: JSONText) -> JSONText {
        guard SecretRedactor.mayContainSecret(json.text), let value = try? JSONReader.parse(json.text) else { return json }
        return JSONText(value.mapStrings { redact($0).text }.jsonText)
    }
}
