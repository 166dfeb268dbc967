import Foundation

/// Maps the raw UTF-8 bytes of categorical values to level codes without making a `String` per
/// cell: the binary COPY decoder's categorical path.
///
/// Codes are given in order of first appearance, and `levels` holds each level's text, exactly as
/// a `[String: Int32]` dictionary fed `String(decoding: bytes, as: UTF8.self)` would: two byte
/// sequences that are different but canonically equivalent as Swift strings (é precomposed and
/// decomposed) are one level, because a new non-ASCII byte sequence is checked against the
/// levels' strings before it becomes a level. Everything else is byte work: the previous value is
/// compared first (feature queries return rows grouped by session, so task, developer and session
/// repeat), then an open-addressing table keyed by a 64-bit hash of the bytes.
///
/// Measured with `perf record` of `ail train success` on 1,000,000 rows: String creation and
/// SipHash dictionary lookups in the per-cell decoder were 36% of the client's CPU.
struct LevelInterner {
    private(set) var levels: [String] = []
    /// Concatenated bytes of every distinct byte sequence seen; sequence k spans `starts[k]..<starts[k+1]`.
    private var bytes: [UInt8] = []
    private var starts: [Int] = [0]
    private var hashes: [UInt64] = []
    /// The code of each distinct byte sequence (several sequences may share a code).
    private var codeOf: [Int32] = []
    /// Open addressing: −1 empty, else an index into the byte sequences. Power-of-two size.
    private var slots = [Int32](repeating: -1, count: 16)
    /// Every level by its text, kept from the first non-ASCII value on (canonical equivalence).
    private var textIndex: [String: Int32]?
    private var last: Int32 = -1

    /// The level code of the value whose UTF-8 bytes are `value`.
    mutating func code(_ value: UnsafeRawBufferPointer) -> Int32 {
        if last >= 0, equals(Int(last), value) { return codeOf[Int(last)] }
        let h = Self.hash(value)
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while slots[i] >= 0 {
            let k = Int(slots[i])
            if hashes[k] == h, equals(k, value) { last = Int32(k); return codeOf[k] }
            i = (i + 1) & mask
        }
        let k = Int32(hashes.count)
        hashes.append(h)
        bytes.append(contentsOf: value)
        starts.append(bytes.count)
        codeOf.append(newCode(value))
        slots[i] = k
        last = k
        if hashes.count * 2 > slots.count { grow() }
        return codeOf[Int(k)]
    }

    /// The code for a byte sequence not seen before: an existing level when its text is
    /// canonically equivalent to one, else a new level. Equivalence without byte equality needs
    /// a non-ASCII sequence on one side (K and the Kelvin sign U+212A, say), so the text index is
    /// built only once one has been seen; until then levels are byte-distinct ASCII.
    private mutating func newCode(_ value: UnsafeRawBufferPointer) -> Int32 {
        let text = String(decoding: value, as: UTF8.self)
        if textIndex == nil, !value.allSatisfy({ $0 < 0x80 }) {
            textIndex = Dictionary(levels.enumerated().map { ($1, Int32($0)) }, uniquingKeysWith: { a, _ in a })
        }
        if let existing = textIndex?[text] { return existing }
        let code = Int32(levels.count)
        levels.append(text)
        textIndex?[text] = code
        return code
    }

    private func equals(_ k: Int, _ value: UnsafeRawBufferPointer) -> Bool {
        let start = starts[k], count = starts[k + 1] - start
        guard count == value.count else { return false }
        guard count > 0, let base = value.baseAddress else { return true }
        return bytes.withUnsafeBufferPointer { stored in memcmp(stored.baseAddress! + start, base, count) == 0 }
    }

    private mutating func grow() {
        let size = slots.count * 2, mask = size - 1
        var next = [Int32](repeating: -1, count: size)
        for (k, h) in hashes.enumerated() {
            var i = Int(truncatingIfNeeded: h) & mask
            while next[i] >= 0 { i = (i + 1) & mask }
            next[i] = Int32(k)
        }
        slots = next
    }

    /// A 64-bit multiply–xorshift hash over 8-byte words (not cryptographic: the keys are the
    /// query's own values, and a collision costs a comparison, not correctness).
    static func hash(_ value: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(value.count)
        var p = 0
        while p + 8 <= value.count {
            h = (h ^ value.loadUnaligned(fromByteOffset: p, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            p += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while p < value.count { tail |= UInt64(value[p]) << shift; shift += 8; p += 1 }
        h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
        return h ^ (h >> 29)
    }
}
