/// Decides whether a key (a JSON member name, an environment variable, a `key=value` name) names a
/// secret, so that the value under it is redacted whatever it looks like.
///
/// The key is split into lower-case segments at every character that is not an ASCII letter or
/// digit, at camelCase humps (`apiKey` → api, key; `AWSSecret` → aws, secret) and between letters
/// and digits (`password2` → password, 2). It names a secret when one segment is a secret word
/// (`password`, `passwd`, `pwd`, `secret`, `token`, `apikey`, `credential`, `authorization`,
/// `cookie`, …) or two consecutive segments form one (`api key`, `access key`, `private key`, …),
/// unless its last segment says the value only describes the secret (`token_type`, `password_length`,
/// `secret_name`). Whole segments only: `tokens_in`, `max_tokens`, `tokenizer` and `secretary` are
/// not secret names.
enum SecretKeyName {
    static let words: Set<String> = [
        "password", "passwords", "passwd", "pwd", "passphrase", "pgpassword", "secret", "secrets", "token",
        "apikey", "accesskey", "privatekey", "secretkey", "credential", "credentials", "authorization", "cookie",
    ]
    static let pairs: Set<String> = [
        "api key", "access key", "private key", "secret key", "signing key", "encryption key", "master key",
        "pass word", "pass phrase", "auth token",
    ]
    /// Last segments that make the value a description of a secret rather than the secret.
    static let descriptive: Set<String> = [
        "type", "kind", "count", "length", "len", "limit", "ttl", "expiry", "expires", "expiration", "format",
        "field", "name", "usage", "budget", "used",
    ]

    /// Whether `key` names a secret.
    static func isSecret(_ key: String) -> Bool {
        isSecret(segments: segments(of: key))
    }

    static func isSecret(segments: [String]) -> Bool {
        guard let last = segments.last, !descriptive.contains(last) || segments.count == 1 else { return false }
        for (k, segment) in segments.enumerated() {
            if words.contains(segment) { return true }
            if k + 1 < segments.count, pairs.contains(segment + " " + segments[k + 1]) { return true }
        }
        return false
    }

    /// Whether `key` is one of the AWS secret access key names (`AWS_SECRET_ACCESS_KEY`, `aws_secret_key`,
    /// `secret_access_key`, …): such a value is reported as an AWS secret key.
    static func isAWSSecret(segments: [String]) -> Bool {
        segments.contains("secret") && (segments.contains("aws") || segments.contains("access"))
    }

    /// The lower-case segments of `key` (see the type's comment).
    static func segments(of key: String) -> [String] {
        var result: [String] = []
        var current: [UInt8] = []
        let bytes = Array(key.utf8)
        func flush() {
            if !current.isEmpty { result.append(String(decoding: current, as: UTF8.self)); current.removeAll() }
        }
        func kind(_ b: UInt8) -> Int {  // 0 other, 1 lower, 2 upper, 3 digit
            switch b {
            case 0x61...0x7A: return 1
            case 0x41...0x5A: return 2
            case 0x30...0x39: return 3
            default: return 0
            }
        }
        for (i, b) in bytes.enumerated() {
            let k = kind(b)
            if k == 0 { flush(); continue }
            if let previous = i > 0 ? kind(bytes[i - 1]) : nil, !current.isEmpty {
                let next = i + 1 < bytes.count ? kind(bytes[i + 1]) : 0
                let hump = previous == 1 && k == 2                     // apiKey
                let acronymEnd = previous == 2 && k == 2 && next == 1  // AWSSecret: split before S
                let digitEdge = (previous == 3) != (k == 3)            // password2
                if hump || acronymEnd || digitEdge { flush() }
            }
            current.append(k == 2 ? b | 0x20 : b)
        }
        flush()
        return result
    }
}
