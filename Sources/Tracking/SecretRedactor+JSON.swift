extension SecretRedactor {
    /// `value` with its secrets redacted, at any depth: every string and every object key is
    /// redacted as text; every value under a secret-named key (`password`, `AWS_SECRET_ACCESS_KEY`,
    /// `apiKey`, …; see `SecretKeyName`) has each of its strings replaced by
    /// `[REDACTED:secret_value]` (numbers, booleans and null are kept: `token_count: 5` stays).
    /// Two keys that become equal once redacted get `#2`, `#3`, … appended, so no member is lost.
    ///
    /// `override` sees each member (original key, value) first; a non-nil result replaces the
    /// value as it is (ingest uses it to pseudonymise `developer` values).
    public func redact(_ value: JSONValue, override: ((String, JSONValue) -> JSONValue?)? = nil) -> JSONValue {
        switch value {
        case .string(let s): return .string(redact(s).text)
        case .array(let items): return .array(items.map { redact($0, override: override) })
        case .object(let members):
            var keys = Set<String>()
            return .object(members.map { member -> (key: String, value: JSONValue) in
                var key = redact(member.key).text
                if key != member.key {
                    var k = 2
                    let base = key
                    while keys.contains(key) { key = "\(base)#\(k)"; k += 1 }
                }
                keys.insert(key)
                if let replaced = override?(member.key, member.value) { return (key, replaced) }
                if SecretKeyName.isSecret(member.key) {
                    let kind: Kind = SecretKeyName.isAWSSecret(segments: SecretKeyName.segments(of: member.key)) ? .awsSecretKey : .secretValue
                    return (key, replacingStrings(in: member.value, with: SecretRedactor.marker(kind)))
                }
                return (key, redact(member.value, override: override))
            })
        default: return value
        }
    }

    /// Every string inside `value` replaced by `marker` (keys of nested objects redacted as text);
    /// an empty string stays empty, numbers, booleans and null stay.
    func replacingStrings(in value: JSONValue, with marker: String) -> JSONValue {
        switch value {
        case .string(let s): return .string(s.isEmpty ? s : marker)
        case .array(let items): return .array(items.map { replacingStrings(in: $0, with: marker) })
        case .object(let members):
            return .object(members.map { (redact($0.key).text, replacingStrings(in: $0.value, with: marker)) })
        default: return value
        }
    }
}
