/// Escaping for text placed in HTML or SVG, as content or inside a double- or single-quoted
/// attribute: `&`, `<`, `>`, `"` and `'` become character references, and control characters
/// other than tab and newline (which XML forbids) are dropped. Every string that comes from the
/// database goes through here, so a tool named `</script><svg onload=alert(1)>` is shown as text.
public enum Markup {
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            default:
                let v = scalar.value
                if v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v) || v == 0xFFFE || v == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A number for an SVG attribute: at most two decimals, no exponent, never NaN.
    public static func number(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        let rounded = (v * 100).rounded() / 100
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        var text = String(rounded)
        if text.contains("e") { text = "0" }
        return text
    }

    /// A safe identifier fragment (letters, digits, `-`) made from any text.
    public static func slug(_ text: String) -> String {
        let mapped = text.lowercased().unicodeScalars.map { ("a"..."z").contains($0) || ("0"..."9").contains($0) ? Character($0) : "-" }
        let slug = String(mapped).split(separator: "-").joined(separator: "-")
        return slug.isEmpty ? "x" : String(slug.prefix(60))
    }
}
