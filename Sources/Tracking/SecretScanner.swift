/// The linear-time secret finder behind `SecretRedactor`: one left-to-right pass over the UTF-8
/// bytes of a text, replacing each secret by its marker and dropping every NUL byte.
///
/// Why not regular expressions: with backtracking engines (ICU's `NSRegularExpression`), a pattern
/// tried at every start position of a long run (an e-mail local part, an `sk-` key body, a URL
/// scheme) rescans the run each time, so 80,000 characters after an `@` took 47 s. Here every rule
/// starts only where the run it matches starts (the byte before is outside the run's class), or at
/// a fixed trigger (`://`, `bearer`, `-----BEGIN `), so each byte is examined a bounded number of
/// times. Rules whose key may repeat inside one run (`sk-…-sk-…`, `xoxb-…-xoxb-…`) share one
/// measurement of the run (`RunMemo`, one per character class). `steps` counts every byte examined, so tests can check the
/// work grows linearly without timing anything.
///
/// Every secret is made of ASCII bytes and every cut is next to an ASCII byte, so the output of
/// valid UTF-8 is valid UTF-8.
struct SecretScanner {
    typealias Kind = SecretRedactor.Kind

    private let bytes: UnsafeBufferPointer<UInt8>
    private let n: Int
    private let classes = SecretScanner.classes
    /// Bytes examined so far (every loop over the input counts here).
    private(set) var steps = 0
    /// A match whose redacted part starts after the current position: the bytes before it (a key
    /// name, `bearer `, a URL's user) are still scanned by the other rules.
    private var pending: Match?
    private var keyBodyMemo = RunMemo()
    private var slackMemo = RunMemo()

    struct Match {
        var start: Int
        var end: Int
        var kind: Kind
    }

    /// The end and the last digit of one run of a character class, measured once for all the
    /// starts inside it.
    private struct RunMemo {
        var charClass: UInt16 = 0
        var start = 0
        var end = -1
        var lastDigit = -1
    }

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        self.n = bytes.count
    }

    // MARK: Character classes

    static let alnum: UInt16 = 1          // A-Z a-z 0-9
    static let word: UInt16 = 2           // alnum _
    static let keyBody: UInt16 = 4        // alnum _ -      (sk-, AIza, JWT segments)
    static let emailLocal: UInt16 = 8     // alnum . _ % + -
    static let domain: UInt16 = 16        // alnum -
    static let identifier: UInt16 = 32    // alnum _ . -    (key names)
    static let bearerBody: UInt16 = 64    // alnum - . _ ~ + /
    static let valueStop: UInt16 = 128    // whitespace " ' ` & , ; ) ] } < > NUL: ends an unquoted value
    static let urlUser: UInt16 = 256      // not whitespace : / @ [ ] NUL
    static let urlPassword: UInt16 = 512  // not whitespace / ? # NUL
    static let pemHeader: UInt16 = 1024   // A-Z 0-9 space
    static let space: UInt16 = 2048       // space, tab
    static let whitespace: UInt16 = 4096  // space, tab, CR, LF, FF, VT
    static let slackBody: UInt16 = 8192   // alnum -
    static let valueChar: UInt16 = 16384  // not valueStop

    /// The class bits of each byte, behind a pointer: indexing a static array retains it on every
    /// access in unoptimised builds, which made a 1 MiB line take over a second there.
    nonisolated(unsafe) static let classes: UnsafePointer<UInt16> = {
        let p = UnsafeMutablePointer<UInt16>.allocate(capacity: 256)  // allocated once, never freed
        p.initialize(from: table, count: 256)
        return UnsafePointer(p)
    }()

    static let table: [UInt16] = {
        var t = [UInt16](repeating: 0, count: 256)
        for b in 0..<256 {
            let c = UInt8(b)
            var v: UInt16 = 0
            let isAlnum = (0x30...0x39).contains(c) || (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c)
            func is_(_ s: String) -> Bool { s.utf8.contains(c) }
            if isAlnum { v |= alnum | word | keyBody | emailLocal | domain | identifier | bearerBody | slackBody }
            if is_("_") { v |= word | keyBody | emailLocal | identifier | bearerBody }
            if is_("-") { v |= keyBody | emailLocal | domain | identifier | bearerBody | slackBody }
            if is_(".") { v |= emailLocal | identifier | bearerBody }
            if is_("%+") { v |= emailLocal }
            if is_("+~/") { v |= bearerBody }
            let white = is_(" \t\r\n\u{0B}\u{0C}")
            if white { v |= whitespace }
            if is_(" \t") { v |= space }
            if white || c == 0 || is_("\"'`&,;)]}<>") { v |= valueStop } else { v |= valueChar }
            if !(white || c == 0 || is_(":/@[]")) { v |= urlUser }
            if !(white || c == 0 || is_("/?#")) { v |= urlPassword }
            if (0x30...0x39).contains(c) || (0x41...0x5A).contains(c) || c == 0x20 { v |= pemHeader }
            t[b] = v
        }
        return t
    }()

    @inline(__always) private func has(_ i: Int, _ c: UInt16) -> Bool {
        i < n && classes[Int(bytes[i])] & c != 0
    }

    /// Whether the byte before `i` is outside `c` (the start of a run of `c`).
    @inline(__always) private func startsRun(_ i: Int, _ c: UInt16) -> Bool {
        i == 0 || classes[Int(bytes[i - 1])] & c == 0
    }

    /// The end of the run of `c` that starts at or covers `i`.
    @inline(__always) private mutating func runEnd(from i: Int, _ c: UInt16) -> Int {
        var j = i
        while j < n, classes[Int(bytes[j])] & c != 0 { j += 1 }
        steps += j - i + 1
        return j
    }

    @inline(__always) private func byte(_ i: Int) -> UInt8 { i < n ? bytes[i] : 0 }

    @inline(__always) private func lower(_ i: Int) -> UInt8 {
        let b = byte(i)
        return (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b
    }

    /// Whether `literal` (ASCII) is at `i`, case-sensitively or not.
    private mutating func matches(_ literal: StaticString, at i: Int, caseInsensitive: Bool = false) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard i + count <= n else { return false }
        let p = literal.utf8Start
        for k in 0..<count {
            steps += 1
            if (caseInsensitive ? lower(i + k) : bytes[i + k]) != p[k] { return false }
        }
        return true
    }

    // MARK: The pass

    /// Appends the redacted text to `out` and the kinds found to `kinds`.
    mutating func redact(into out: inout [UInt8], kinds: inout Set<Kind>) {
        var copied = 0  // bytes[copied..<i] are still to be copied
        var i = 0
        func flush(_ upTo: Int) {
            if upTo > copied { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<upTo])) }
        }
        while i < n {
            steps += 1
            let b = bytes[i]
            // Inside a run of letters and digits nothing starts (every rule but `bearer` needs a run
            // start or punctuation), so the common case costs one table look-up.
            if i > 0, classes[Int(b)] & SecretScanner.alnum != 0,
               classes[Int(bytes[i - 1])] & SecretScanner.alnum != 0, b | 0x20 != UInt8(ascii: "b"),
               pending == nil || pending?.start != i {
                i += 1
                continue
            }
            var match = immediateMatch(at: i)
            if let m = match, var p = pending, m.end > p.start {
                if m.kind == .email, m.start == p.start, m.end > p.end {
                    // `user:pass@host` also reads as the address `pass@host`: the URL's password wins.
                    match = p
                    pending = nil
                } else if m.end >= p.end {
                    pending = nil  // a secret covering the pending value
                } else {
                    p.start = m.end  // a secret overlapping its start: the rest of the value stays pending
                    pending = p
                }
            } else if match == nil, let p = pending, p.start == i {
                match = p
                pending = nil
            } else if match == nil, pending == nil {
                pending = deferredMatch(at: i)
            }
            if let m = match {
                flush(m.start)
                out.append(contentsOf: SecretRedactor.markerBytes(m.kind))
                kinds.insert(m.kind)
                copied = m.end
                i = m.end
                continue
            }
            if b == 0 {
                flush(i)
                copied = i + 1
            }
            i += 1
        }
        flush(n)
    }

    /// A secret that starts exactly at `i`.
    private mutating func immediateMatch(at i: Int) -> Match? {
        let specific: Match?
        switch bytes[i] {
        case UInt8(ascii: "-"): specific = privateKey(at: i)
        case UInt8(ascii: "A"): specific = awsAccessKey(at: i) ?? googleAPIKey(at: i)
        case UInt8(ascii: "g"): specific = githubToken(at: i)
        case UInt8(ascii: "s"): specific = skKey(at: i)
        case UInt8(ascii: "x"): specific = slackToken(at: i)
        case UInt8(ascii: "e"): specific = jwt(at: i)
        default: specific = nil
        }
        if let specific { return specific }
        return has(i, SecretScanner.emailLocal) ? email(at: i) : nil
    }

    /// A secret that starts after `i`, behind a prefix that is kept (`password=`, `Bearer `, `://user:`).
    private mutating func deferredMatch(at i: Int) -> Match? {
        switch bytes[i] {
        case UInt8(ascii: "b"), UInt8(ascii: "B"): return bearerToken(at: i) ?? namedValue(at: i)
        case UInt8(ascii: ":"): return urlPassword(at: i)
        default: return namedValue(at: i)
        }
    }

    // MARK: Rules with a fixed shape

    /// `-----BEGIN … PRIVATE KEY-----` through the matching END line, or to the end of the text.
    private mutating func privateKey(at i: Int) -> Match? {
        guard matches("-----BEGIN ", at: i) else { return nil }
        guard let headerEnd = pemLabel(from: i + 11) else { return nil }
        var j = headerEnd
        while j < n {
            steps += 1
            if bytes[j] == UInt8(ascii: "-"), matches("-----END ", at: j), let end = pemLabel(from: j + 9) {
                return Match(start: i, end: end, kind: .privateKey)
            }
            j += 1
        }
        return Match(start: i, end: n, kind: .privateKey)
    }

    /// After `BEGIN `/`END `: `[A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----`; the index after the dashes.
    private mutating func pemLabel(from i: Int) -> Int? {
        let end = runEnd(from: i, SecretScanner.pemHeader)
        guard matches("-----", at: end) else { return nil }
        let label = end - i
        if label >= 11, matches("PRIVATE KEY", at: end - 11) { return end + 5 }
        if label >= 17, matches("PRIVATE KEY BLOCK", at: end - 17) { return end + 5 }
        return nil
    }

    /// `AKIA…`, `ASIA…` (and the other AWS id prefixes) + 16 upper-case letters or digits, alone.
    private mutating func awsAccessKey(at i: Int) -> Match? {
        guard startsRun(i, SecretScanner.alnum), i + 20 <= n, !has(i + 20, SecretScanner.alnum) else { return nil }
        guard matches("AKIA", at: i) || matches("ASIA", at: i) || matches("ABIA", at: i) || matches("ACCA", at: i)
                || matches("AROA", at: i) || matches("AIDA", at: i) else { return nil }
        for k in (i + 4)..<(i + 20) {
            steps += 1
            let b = bytes[k]
            guard (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) else { return nil }
        }
        return Match(start: i, end: i + 20, kind: .awsAccessKey)
    }

    /// `ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_` + 30 or more letters and digits; `github_pat_` + 22 or more.
    private mutating func githubToken(at i: Int) -> Match? {
        guard startsRun(i, SecretScanner.word) else { return nil }
        if byte(i + 1) == UInt8(ascii: "h"), byte(i + 3) == UInt8(ascii: "_"), "pousr".utf8.contains(byte(i + 2)) {
            steps += 3
            let end = runEnd(from: i + 4, SecretScanner.alnum)
            return end - (i + 4) >= 30 ? Match(start: i, end: end, kind: .githubToken) : nil
        }
        if matches("github_pat_", at: i) {
            let end = runEnd(from: i + 11, SecretScanner.word)
            return end - (i + 11) >= 22 ? Match(start: i, end: end, kind: .githubToken) : nil
        }
        return nil
    }

    /// The end and last digit of the run of `c` covering `i` (measured once per run).
    private mutating func memoRun(_ i: Int, _ c: UInt16) -> (end: Int, lastDigit: Int) {
        let memo = c == SecretScanner.slackBody ? slackMemo : keyBodyMemo
        if memo.charClass == c, memo.start <= i, i < memo.end { return (memo.end, memo.lastDigit) }
        var j = i, lastDigit = -1
        while j < n, classes[Int(bytes[j])] & c != 0 {
            if bytes[j] >= 0x30 && bytes[j] <= 0x39 { lastDigit = j }
            j += 1
        }
        steps += j - i + 1
        let measured = RunMemo(charClass: c, start: i, end: j, lastDigit: lastDigit)
        if c == SecretScanner.slackBody { slackMemo = measured } else { keyBodyMemo = measured }
        return (j, lastDigit)
    }

    /// Anthropic `sk-ant-` + 20 or more; OpenAI `sk-proj-`, `sk-svcacct-`, `sk-admin-` + 20 or more;
    /// a bare `sk-` + 20 or more with a digit among them (so `sk-learn-compatible-estimators` is prose).
    private mutating func skKey(at i: Int) -> Match? {
        guard startsRun(i, SecretScanner.alnum), byte(i + 1) == UInt8(ascii: "k"), byte(i + 2) == UInt8(ascii: "-"),
              has(i + 3, SecretScanner.keyBody) else { return nil }
        steps += 2
        let (end, lastDigit) = memoRun(i + 3, SecretScanner.keyBody)
        if matches("sk-ant-", at: i) { return end - (i + 7) >= 20 ? Match(start: i, end: end, kind: .anthropicAPIKey) : nil }
        let prefixLength = matches("sk-proj-", at: i) ? 8 : matches("sk-svcacct-", at: i) ? 11 : matches("sk-admin-", at: i) ? 9 : 0
        if prefixLength > 0, end - (i + prefixLength) >= 20 { return Match(start: i, end: end, kind: .openAIAPIKey) }
        return end - (i + 3) >= 20 && lastDigit >= i + 3 ? Match(start: i, end: end, kind: .openAIAPIKey) : nil
    }

    /// Slack `xoxb-`, `xoxp-`, `xoxa-`, `xoxr-`, `xoxs-`, `xoxe-` + 10 or more letters, digits and dashes.
    private mutating func slackToken(at i: Int) -> Match? {
        guard startsRun(i, SecretScanner.alnum), matches("xox", at: i), "abeoprs".utf8.contains(byte(i + 3)),
              byte(i + 4) == UInt8(ascii: "-"), has(i + 5, SecretScanner.slackBody) else { return nil }
        let (end, _) = memoRun(i + 5, SecretScanner.slackBody)
        return end - (i + 5) >= 10 ? Match(start: i, end: end, kind: .slackToken) : nil
    }

    /// Google API keys: `AIza` + 35 letters, digits, `_` or `-`.
    private mutating func googleAPIKey(at i: Int) -> Match? {
        guard startsRun(i, SecretScanner.keyBody), matches("AIza", at: i), has(i + 4, SecretScanner.keyBody) else { return nil }
        let (end, _) = memoRun(i + 4, SecretScanner.keyBody)
        return end - (i + 4) >= 35 ? Match(start: i, end: end, kind: .googleAPIKey) : nil
    }

    /// A JSON Web Token: `eyJ…` (a base64url JSON header) `.eyJ…` (payload) `.…` (signature, may be empty).
    private mutating func jwt(at i: Int) -> Match? {
        guard startsRun(i, SecretScanner.keyBody), matches("eyJ", at: i) else { return nil }
        let headerEnd = runEnd(from: i + 3, SecretScanner.keyBody)
        guard byte(headerEnd) == UInt8(ascii: "."), matches("eyJ", at: headerEnd + 1) else { return nil }
        let payloadEnd = runEnd(from: headerEnd + 4, SecretScanner.keyBody)
        guard byte(payloadEnd) == UInt8(ascii: ".") else { return nil }
        return Match(start: i, end: runEnd(from: payloadEnd + 1, SecretScanner.keyBody), kind: .jwt)
    }

    /// `local@domain.tld`: the local part starts a run of its class, the domain has two or more
    /// labels and a later one starts with two letters; the match ends with that label.
    private mutating func email(at i: Int) -> Match? {
        guard startsRun(i, SecretScanner.emailLocal) else { return nil }
        let at = runEnd(from: i, SecretScanner.emailLocal)
        guard byte(at) == UInt8(ascii: "@") else { return nil }
        var j = at + 1, label = 0, end = -1
        while true {
            let labelEnd = runEnd(from: j, SecretScanner.domain)
            guard labelEnd > j else { break }
            if label > 0, labelEnd - j >= 2, isLetter(j), isLetter(j + 1) { end = labelEnd }
            label += 1
            guard byte(labelEnd) == UInt8(ascii: "."), has(labelEnd + 1, SecretScanner.domain) else { break }
            j = labelEnd + 1
        }
        return end > 0 ? Match(start: i, end: end, kind: .email) : nil
    }

    @inline(__always) private func isLetter(_ i: Int) -> Bool {
        let b = lower(i)
        return b >= 0x61 && b <= 0x7A
    }

    // MARK: Rules behind a kept prefix

    /// `Bearer ` + 16 or more token characters with a digit among them (and `=` padding).
    private mutating func bearerToken(at i: Int) -> Match? {
        guard matches("bearer", at: i, caseInsensitive: true), has(i + 6, SecretScanner.whitespace) else { return nil }
        let start = runEnd(from: i + 6, SecretScanner.whitespace)
        var end = start, lastDigit = -1
        while end < n, classes[Int(bytes[end])] & SecretScanner.bearerBody != 0 {
            if bytes[end] >= 0x30 && bytes[end] <= 0x39 { lastDigit = end }
            end += 1
        }
        steps += end - start + 1
        guard end - start >= 16, lastDigit >= start else { return nil }
        while end < n, bytes[end] == UInt8(ascii: "=") { end += 1; steps += 1 }
        return Match(start: start, end: end, kind: .bearerToken)
    }

    /// `scheme://user:password@host`: at `://`, the password runs to the last `@` that a host
    /// character follows (the user may be empty).
    private mutating func urlPassword(at i: Int) -> Match? {
        guard i > 0, matches("://", at: i), has(i - 1, SecretScanner.emailLocal) else { return nil }
        let userEnd = runEnd(from: i + 3, SecretScanner.urlUser)
        guard byte(userEnd) == UInt8(ascii: ":") else { return nil }
        let start = userEnd + 1
        var j = start, lastAt = -1
        while j < n, classes[Int(bytes[j])] & SecretScanner.urlPassword != 0 {
            if bytes[j] == UInt8(ascii: "@"), j > start, j + 1 < n, bytes[j + 1] != UInt8(ascii: "@"),
               classes[Int(bytes[j + 1])] & SecretScanner.urlPassword != 0 { lastAt = j }
            j += 1
        }
        steps += j - start + 1
        return lastAt > start ? Match(start: start, end: lastAt, kind: .urlPassword) : nil
    }

    /// The value after a secret-named key: `password=…`, `PGPASSWORD='…'`, `"api_key": "…"`,
    /// `token: …`. Quoted values run to the closing quote (backslash escapes) or the end of the
    /// line, others to a space, a quote or one of `&,;)]}<>`. After `:` numbers, `true`, `false` and
    /// `null` are kept (`"token_count": 5`); after `=` every value is a string (`password=123456`).
    /// After an unquoted key and `:` (prose such as `token: unexpected end`) the value must be 6 or
    /// more characters and not only letters.
    private mutating func namedValue(at i: Int) -> Match? {
        var k0 = i, quote: UInt8 = 0
        if bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'") {
            quote = bytes[i]
            k0 = i + 1
        }
        guard has(k0, SecretScanner.identifier), startsRun(k0, SecretScanner.identifier) || quote != 0 else { return nil }
        if quote == 0, !startsRun(i, SecretScanner.identifier) { return nil }
        let k1 = runEnd(from: k0, SecretScanner.identifier)
        var p = k1
        if quote != 0 {
            guard byte(p) == quote else { return nil }
            p += 1
        }
        p = runEnd(from: p, SecretScanner.space)
        let separator = byte(p)
        guard separator == UInt8(ascii: "=") || separator == UInt8(ascii: ":") else { return nil }
        p += 1
        if byte(p) == UInt8(ascii: "=") { p += 1 }  // `==`, `:=`
        p = runEnd(from: p, SecretScanner.space)
        let segments = SecretKeyName.segments(of: String(decoding: UnsafeBufferPointer(rebasing: bytes[k0..<k1]), as: UTF8.self))
        steps += k1 - k0
        guard SecretKeyName.isSecret(segments: segments) else { return nil }
        let kind: Kind = SecretKeyName.isAWSSecret(segments: segments) ? .awsSecretKey : .secretValue
        let first = byte(p)
        if first == UInt8(ascii: "\"") || first == UInt8(ascii: "'") {
            var j = p + 1  // to the closing quote, or the end of the line (JSON strings hold no raw newline)
            while j < n, bytes[j] != first, bytes[j] != 0x0A {
                j += bytes[j] == UInt8(ascii: "\\") && j + 1 < n && bytes[j + 1] != 0x0A ? 2 : 1
            }
            steps += j - p
            let end = min(j, n)
            return end > p + 1 ? Match(start: p + 1, end: end, kind: kind) : nil
        }
        guard p < n, first != UInt8(ascii: "{"), first != UInt8(ascii: "[") else { return nil }
        let end = runEnd(from: p, SecretScanner.valueChar)
        // After `=` (libpq, environment) a value is a string; after `:` (JSON, YAML) a number is a number.
        guard end > p, separator == UInt8(ascii: "=") || !isLiteral(p, end) else { return nil }
        if quote == 0, separator == UInt8(ascii: ":") {
            var letters = true
            for j in p..<end where !isLetter(j) { letters = false; break }
            steps += end - p
            guard end - p >= 6, !letters else { return nil }
        }
        return Match(start: p, end: end, kind: kind)
    }

    /// Whether bytes[p..<end] is a JSON number, `true`, `false` or `null` (never redacted).
    private mutating func isLiteral(_ p: Int, _ end: Int) -> Bool {
        let text = UnsafeBufferPointer(rebasing: bytes[p..<end])
        steps += end - p
        switch try? JSONReader.parse(text) {  // the one JSON number grammar of the project
        case .number?, .bool?, .null?: return true
        default: return false
        }
    }
}
