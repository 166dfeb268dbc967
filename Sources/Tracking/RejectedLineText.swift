/// The text kept in `ingest_rejects.raw_line` for a refused line: no developer name, no secret,
/// no NUL, valid UTF-8, at most `limit` bytes.
///
/// A line that parses as JSON is stored re-serialised, with every `developer` value replaced by
/// its pseudonym and every string and key redacted after unescaping (so `\u0040` cannot hide an
/// e-mail address) and values under secret-named keys replaced. Any other line is stored as text:
/// NUL bytes dropped (byte by byte: as a `String`, a NUL followed by a combining mark is one
/// character that is not equal to "\u{0}"), invalid UTF-8 → U+FFFD, printable `\uXXXX` escapes
/// decoded, `"developer": "…"` values replaced by `[REDACTED:developer]`, then redacted.
///
/// Redaction comes first and the cut second, at a character boundary and never inside a marker,
/// so a secret that straddles the limit is redacted whole. A line the reader already cut short
/// (`truncated`) may end inside a secret too short to be recognised (the first 18 characters of a
/// GitHub token): its trailing partial token (everything after the last space, quote or bracket)
/// is dropped.
enum RejectedLineText {
    static func storable(_ raw: UnsafeBufferPointer<UInt8>, limit: Int, truncated: Bool, redactor: SecretRedactor,
                         pseudonymizer: Pseudonymizer) -> String {
        let text: String
        if !truncated, let value = try? JSONReader.parse(raw) {
            text = redactor.redact(value) { key, value in
                key == "developer" ? EventBatch.developerValue(value, pseudonymizer: pseudonymizer) : nil
            }.jsonText
        } else {
            var bytes = [UInt8]()
            bytes.reserveCapacity(raw.count)
            for b in raw where b != 0 { bytes.append(b) }
            var decoded = EventBatch.unescapeUnicode(String(decoding: bytes, as: UTF8.self))
            if decoded.contains("\"developer\"") { decoded = replacingDeveloperValues(decoded) }
            text = redactor(decoded)
        }
        return cut(text, to: limit, dropPartialToken: truncated)
    }

    /// `text` cut to at most `limit` bytes at a UTF-8 boundary, never inside a `[REDACTED:…]`
    /// marker; with `dropPartialToken`, the bytes after the last delimiter are dropped too.
    static func cut(_ text: String, to limit: Int, dropPartialToken: Bool) -> String {
        guard text.utf8.count > limit || dropPartialToken else { return text }
        var bytes = Array(text.utf8)
        if bytes.count > limit {
            var end = limit
            while end > 0, bytes[end] & 0xC0 == 0x80 { end -= 1 }  // a continuation byte: back to the lead byte
            let open = Array("[REDACTED:".utf8)
            var k = end - 1
            while k >= max(0, end - SecretRedactor.longestMarker), bytes[k] != UInt8(ascii: "]") {
                if bytes[k] == UInt8(ascii: "["), bytes[k...].starts(with: open) { end = k; break }
                k -= 1
            }
            bytes.removeSubrange(end...)
            return String(decoding: bytes, as: UTF8.self)
        }
        while let last = bytes.last, !delimiters.contains(last) { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Bytes that end a token: whitespace, quotes, brackets, `,` `;` `&` `<` `>`.
    static let delimiters = Set(" \t\r\n\"'`,;&()[]{}<>".utf8)

    /// Every `"developer": "…"` value (to its closing quote, or to the end of a cut line) replaced
    /// by `"[REDACTED:developer]"`, in one pass.
    static func replacingDeveloperValues(_ text: String) -> String {
        let bytes = Array(text.utf8)
        let key = Array("\"developer\"".utf8)
        let marker = Array("\"[REDACTED:developer]\"".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        func skipSpaces(_ j: inout Int) {
            while j < bytes.count, bytes[j] == 0x20 || bytes[j] == 0x09 || bytes[j] == 0x0A || bytes[j] == 0x0D { j += 1 }
        }
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "\""), bytes[i...].starts(with: key) {
                var j = i + key.count
                skipSpaces(&j)
                if j < bytes.count, bytes[j] == UInt8(ascii: ":") {
                    j += 1
                    skipSpaces(&j)
                    if j < bytes.count, bytes[j] == UInt8(ascii: "\"") {
                        out.append(contentsOf: bytes[i..<j])
                        j += 1
                        while j < bytes.count, bytes[j] != UInt8(ascii: "\"") { j += bytes[j] == UInt8(ascii: "\\") ? 2 : 1 }
                        out.append(contentsOf: marker)
                        i = min(j + 1, bytes.count)
                        continue
                    }
                }
            }
            out.append(bytes[i])
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
