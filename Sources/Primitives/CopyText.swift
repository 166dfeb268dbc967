/// PostgreSQL COPY text format escaping: backslash, tab, newline and carriage return become
/// `\\`, `\t`, `\n`, `\r`; every other byte (UTF-8 included) is copied as is. NULL is `\N`.
public enum CopyText {
    /// The NULL marker, `\N`.
    public static let null = "\\N"

    /// Appends the escaped bytes of `utf8` to `out`.
    @inlinable
    public static func escape<S: Sequence>(_ utf8: S, into out: inout [UInt8]) where S.Element == UInt8 {
        for b in utf8 {
            switch b {
            case 0x5C: out.append(0x5C); out.append(0x5C)
            case 0x09: out.append(0x5C); out.append(UInt8(ascii: "t"))
            case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
            default: out.append(b)
            }
        }
    }

    /// `field` escaped for one COPY text field (the field itself when nothing needs escaping).
    public static func escaped(_ field: String) -> String {
        if !field.utf8.contains(where: { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) { return field }
        var out: [UInt8] = []
        out.reserveCapacity(field.utf8.count + 8)
        escape(field.utf8, into: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
