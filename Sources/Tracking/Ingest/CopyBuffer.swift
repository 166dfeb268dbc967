import Crypto
import Foundation
import Primitives
import Store

/// Rows in PostgreSQL's COPY text format, built straight into bytes: fields separated by tabs,
/// `\N` for NULL, backslash, tab, newline and carriage return escaped.
struct CopyBuffer {
    private(set) var bytes: [UInt8] = []
    private(set) var rows = 0
    private var fieldStarted = false
    /// Where the current row starts, and the timestamps written into it so far (byte range of
    /// the client's text, UTC microseconds), for `rowFingerprint()`.
    private var rowStart = 0
    private var instants: [(range: Range<Int>, microseconds: Int64)] = []

    init() { bytes.reserveCapacity(1 << 16) }

    mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        rows = 0
        fieldStarted = false
        rowStart = 0
        instants.removeAll(keepingCapacity: true)
    }

    /// A timestamp as the client wrote it (PostgreSQL reads RFC 3339 as is); the fingerprint
    /// sees its instant instead, so `10:00:00+01:00` and `09:00:00Z` are the same content.
    mutating func timestamp(_ t: Timestamp) {
        separator()
        let start = bytes.count
        escaped(t.text.utf8)
        instants.append((start..<bytes.count, t.microseconds))
    }

    /// md5 (hex) of the fields of the current row written so far, timestamps as instants: the
    /// event's content fingerprint, equal for two events exactly when every stored field is.
    func rowFingerprint() -> String {
        var md5 = Insecure.MD5()
        var at = rowStart
        bytes.withUnsafeBytes { all in
            for instant in instants {
                md5.update(bufferPointer: UnsafeRawBufferPointer(rebasing: all[at..<instant.range.lowerBound]))
                withUnsafeBytes(of: instant.microseconds.littleEndian) { md5.update(bufferPointer: $0) }
                at = instant.range.upperBound
            }
            md5.update(bufferPointer: UnsafeRawBufferPointer(rebasing: all[at..<all.count]))
        }
        return md5.finalize().map { b in (b < 16 ? "0" : "") + String(b, radix: 16) }.joined()
    }

    @inline(__always) private mutating func separator() {
        if fieldStarted { bytes.append(0x09) } else { fieldStarted = true }
    }

    mutating func endRow() {
        bytes.append(0x0A)
        rows += 1
        fieldStarted = false
        rowStart = bytes.count
        instants.removeAll(keepingCapacity: true)
    }

    mutating func null() {
        separator()
        bytes.append(0x5C)
        bytes.append(0x4E)
    }

    private mutating func escaped(_ utf8: String.UTF8View) {
        CopyText.escape(utf8, into: &bytes)
    }

    mutating func text(_ s: String?) {
        guard let s else { null(); return }
        separator()
        escaped(s.utf8)
    }

    mutating func int(_ v: Int?) {
        guard let v else { null(); return }
        separator()
        bytes.append(contentsOf: String(v).utf8)
    }

    mutating func double(_ v: Double?) {
        guard let v else { null(); return }
        separator()
        bytes.append(contentsOf: v.description.utf8)
    }

    mutating func bool(_ v: Bool?) {
        guard let v else { null(); return }
        separator()
        bytes.append(v ? UInt8(ascii: "t") : UInt8(ascii: "f"))
    }

    mutating func uuid(_ v: UUID) {
        separator()
        bytes.append(contentsOf: v.uuidString.utf8)
    }

    /// A `text[]` literal: `{"a","b\"c"}` (then COPY-escaped).
    mutating func textArray(_ items: [String]?) {
        guard let items else { null(); return }
        separator()
        escaped(PostgresText.array(items).utf8)
    }
}
