import Foundation

/// Replaces secrets in text with typed markers such as `[REDACTED:aws_access_key]`, and drops
/// NUL bytes (PostgreSQL text cannot hold U+0000).
///
/// Covered: AWS access key ids; GitHub tokens (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`,
/// `github_pat_`); Anthropic (`sk-ant-…`) and OpenAI-style (`sk-…`, `sk-proj-…`) API keys; Slack
/// tokens (`xoxb-…`); Google API keys (`AIza…`); JSON Web Tokens (`eyJ….eyJ….…`); bearer tokens;
/// PEM private key blocks; passwords in URLs (`scheme://user:password@host`); e-mail addresses; and
/// the value after a secret-named key (`password=…` in a libpq connection string,
/// `AWS_SECRET_ACCESS_KEY=…`, `"api_key": "…"`; see `SecretKeyName`), numbers excepted. In JSON
/// (`redact(_:override:)`) every value under a secret-named key is redacted too, and keys are
/// redacted like any text.
///
/// Redaction takes time linear in the length of the text (`SecretScanner`: one pass, no
/// backtracking); a cheap pre-check (`mayContainSecret`) returns text that cannot hold a secret
/// unchanged.
public struct SecretRedactor: Sendable {
    /// The kinds of secret recognised; the raw value appears in the marker.
    public enum Kind: String, CaseIterable, Sendable {
        case privateKey = "private_key"
        case awsAccessKey = "aws_access_key"
        case awsSecretKey = "aws_secret_key"
        case githubToken = "github_token"
        case anthropicAPIKey = "anthropic_api_key"
        case openAIAPIKey = "openai_api_key"
        case slackToken = "slack_token"
        case googleAPIKey = "google_api_key"
        case jwt = "jwt"
        case bearerToken = "bearer_token"
        /// A value under a secret-named key (`password`, `token`, `api_key`, …).
        case secretValue = "secret_value"
        case urlPassword = "url_password"
        case email
    }

    /// The marker written in place of a secret of `kind`.
    public static func marker(_ kind: Kind) -> String { "[REDACTED:\(kind.rawValue)]" }

    static let markers: [Kind: [UInt8]] = Dictionary(uniqueKeysWithValues: Kind.allCases.map { ($0, Array(marker($0).utf8)) })

    static func markerBytes(_ kind: Kind) -> [UInt8] { markers[kind] ?? [] }

    /// The longest marker, in bytes (a cut that must not split one looks back this far).
    static let longestMarker = markers.values.map(\.count).max() ?? 0

    public init() {}

    /// False when `text` cannot contain anything the redactor changes: one pass over the bytes,
    /// looking case-insensitively for `@`, NUL, `sk-`, `gh?_`, `_pat_`, `-begin`, `bearer`, `xox`,
    /// `eyj`, `aiza`, the AWS key prefixes and the stems of secret-named keys (`pass`, `pwd`,
    /// `secret`, `token`, `key`, `creden`, `auth`, `cookie`).
    public static func mayContainSecret(_ text: String) -> Bool {
        var contiguous = text
        return contiguous.withUTF8 { mayContainSecret($0) }
    }

    static func mayContainSecret(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        @inline(__always) func tag(_ s: StaticString) -> UInt64 {
            var v: UInt64 = 0
            let p = s.utf8Start
            for k in 0..<s.utf8CodeUnitCount { v = (v << 8) | UInt64(p[k]) }
            return v
        }
        let m3: UInt64 = 0xFF_FFFF, m4: UInt64 = 0xFFFF_FFFF, m5: UInt64 = 0xFF_FFFF_FFFF, m6: UInt64 = 0xFFFF_FFFF_FFFF
        var rolling: UInt64 = 0
        for byte in bytes {
            if byte == UInt8(ascii: "@") || byte == 0 { return true }
            let lower = (byte >= 65 && byte <= 90) ? byte | 0x20 : byte
            rolling = (rolling << 8) | UInt64(lower)
            switch lower {
            case UInt8(ascii: "-"):
                if rolling & m3 == tag("sk-") { return true }
            case UInt8(ascii: "_"):
                if (rolling >> 16) & 0xFFFF == tag("gh") || rolling & m5 == tag("_pat_") { return true }
            case UInt8(ascii: "n"):
                if rolling & m6 == tag("-begin") || rolling & m5 == tag("token") || rolling & m6 == tag("creden") { return true }
            case UInt8(ascii: "r"):
                if rolling & m6 == tag("bearer") { return true }
            case UInt8(ascii: "t"):
                if rolling & m6 == tag("secret") { return true }
            case UInt8(ascii: "a"):
                let last4 = rolling & m4
                if last4 == tag("akia") || last4 == tag("asia") || last4 == tag("abia") || last4 == tag("acca")
                    || last4 == tag("aroa") || last4 == tag("aida") || last4 == tag("aiza") { return true }
            case UInt8(ascii: "x"):
                if rolling & m3 == tag("xox") { return true }
            case UInt8(ascii: "j"):
                if rolling & m3 == tag("eyj") { return true }
            case UInt8(ascii: "s"):
                if rolling & m4 == tag("pass") { return true }
            case UInt8(ascii: "d"):
                if rolling & m3 == tag("pwd") { return true }
            case UInt8(ascii: "y"):
                if rolling & m3 == tag("key") { return true }
            case UInt8(ascii: "h"):
                if rolling & m4 == tag("auth") { return true }
            case UInt8(ascii: "e"):
                if rolling & m6 == tag("cookie") { return true }
            default: break
            }
        }
        return false
    }

    /// The text with every secret replaced by its marker and NUL dropped, and the kinds found
    /// (in the order of `Kind.allCases`).
    public func redact(_ text: String) -> (text: String, kinds: [Kind]) {
        let result = redactCounting(text)
        return (result.text, result.kinds)
    }

    /// `redact` plus the number of bytes the scanner examined (0 when the pre-check found
    /// nothing), so tests can check that the work is linear in the length of the text.
    func redactCounting(_ text: String, skipPreCheck: Bool = false) -> (text: String, kinds: [Kind], steps: Int) {
        var contiguous = text
        return contiguous.withUTF8 { bytes in
            guard skipPreCheck || SecretRedactor.mayContainSecret(bytes) else { return (text, [], 0) }
            var scanner = SecretScanner(bytes)
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            var found = Set<Kind>()
            scanner.redact(into: &out, kinds: &found)
            let kinds = Kind.allCases.filter { found.contains($0) }
            return (kinds.isEmpty && out.count == bytes.count ? text : String(decoding: out, as: UTF8.self), kinds, scanner.steps)
        }
    }

    /// Redacts `text`, returning only the new text.
    public func callAsFunction(_ text: String) -> String { redact(text).text }

    /// Redacts an optional text.
    public func callAsFunction(_ text: String?) -> String? { text.map { redact($0).text } }

    /// Redacts every item of an optional list (tags).
    public func callAsFunction(_ items: [String]?) -> [String]? { items.map { $0.map { redact($0).text } } }

    /// Redacts JSON text (see `redact(_:override:)`), keeping it valid JSON. Text that cannot
    /// hold a secret, or is not JSON, is returned unchanged.
    public func redactJSON(_ json: JSONText) -> JSONText {
        guard SecretRedactor.mayContainSecret(json.text), let value = try? JSONReader.parse(json.text) else { return json }
        return JSONText(redact(value).jsonText)
    }
}
