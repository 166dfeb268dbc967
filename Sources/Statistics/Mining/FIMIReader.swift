/// Reads the FIMI transaction format (the Frequent Itemset Mining Implementations repository's
/// `.dat` files): one transaction per line, items as decimal non-negative integers separated by
/// spaces or tabs.
///
/// - Line ends may be `\n` or `\r\n`; a final line end does not start another transaction.
/// - A blank line (or one of only spaces) is an **empty transaction**: it counts toward the
///   number of transactions, so it lowers every support, as it does in pyfim and in a one-hot
///   table with an all-false row.
/// - An item repeated within a line counts once.
/// - Anything else (a sign, a letter, a byte that is not ASCII, an id above 999,999,999) is refused
///   with the line number and the offending token, so a wrong file fails early and clearly.
public enum FIMIReader {
    /// The longest item id accepted, in digits (ids up to 999,999,999 fit `Int32`).
    public static let maxItemDigits = 9

    /// Parses `bytes` (a whole file) into transactions.
    public static func parse<Bytes: Collection>(_ bytes: Bytes) throws -> TransactionSet
    where Bytes.Element == UInt8, Bytes.Index == Int {
        var set = TransactionSet()
        var current: [Int32] = []
        var line = 1
        var index = bytes.startIndex
        let end = bytes.endIndex
        var lineHasContent = false
        while index < end {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\n"):
                set.append(current)
                current.removeAll(keepingCapacity: true)
                line += 1
                lineHasContent = false
                index += 1
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                index += 1
            case UInt8(ascii: "0") ... UInt8(ascii: "9"):
                var value: Int32 = 0
                var digits = 0
                let start = index
                while index < end, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                    digits += 1
                    if digits <= maxItemDigits { value = value * 10 + Int32(bytes[index] - UInt8(ascii: "0")) }
                    index += 1
                }
                if index < end, !isSeparator(bytes[index]) {
                    throw badToken(bytes, from: start, line: line)
                }
                if digits > maxItemDigits {
                    throw NumericsError(.invalidData, "line \(line): item '\(token(bytes, from: start))' is too long (item ids have at most \(maxItemDigits) digits)")
                }
                current.append(value)
                lineHasContent = true
            default:
                throw badToken(bytes, from: index, line: line)
            }
        }
        // A last line without a line end is a transaction; a final line end adds nothing.
        if lineHasContent || (!bytes.isEmpty && bytes[end - 1] != UInt8(ascii: "\n")) { set.append(current) }
        return set
    }

    private static func isSeparator(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n")
    }

    /// The token starting at `start` (up to the next separator, at most 40 bytes shown), printable:
    /// bytes outside printable ASCII appear as `\xNN`.
    private static func token<Bytes: Collection>(_ bytes: Bytes, from start: Int) -> String
    where Bytes.Element == UInt8, Bytes.Index == Int {
        var text = ""
        var index = start
        while index < bytes.endIndex, !isSeparator(bytes[index]), index - start < 40 {
            let byte = bytes[index]
            if byte >= 0x20, byte < 0x7F {
                text.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                text += "\\x" + (hex.count == 1 ? "0" + hex : hex)
            }
            index += 1
        }
        return text
    }

    private static func badToken<Bytes: Collection>(_ bytes: Bytes, from start: Int, line: Int) -> NumericsError
    where Bytes.Element == UInt8, Bytes.Index == Int {
        NumericsError(.invalidData, "line \(line): item '\(token(bytes, from: start))' is not a non-negative integer id (FIMI format: ids separated by spaces)")
    }
}
