import Foundation

/// A Swift type that can be read from a column in PostgreSQL's text format.
public protocol SQLDecodable {
    /// Decodes the text the server sent; nil when the text is not a valid value of this type.
    init?(postgresText text: String)
}

extension String: SQLDecodable {
    public init?(postgresText text: String) { self = text }
}

extension Int: SQLDecodable {
    public init?(postgresText text: String) { self.init(text) }
}

extension Int32: SQLDecodable {
    public init?(postgresText text: String) { self.init(text) }
}

extension Int64: SQLDecodable {
    public init?(postgresText text: String) { self.init(text) }
}

extension Double: SQLDecodable {
    public init?(postgresText text: String) {
        // Double("Infinity") and Double("NaN") already parse; numeric text such as "1.50" too.
        self.init(text)
    }
}

extension Decimal: SQLDecodable {
    public init?(postgresText text: String) {
        guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else { return nil }
        self = value
    }
}

extension Bool: SQLDecodable {
    public init?(postgresText text: String) {
        switch text {
        case "t", "true": self = true
        case "f", "false": self = false
        default: return nil
        }
    }
}

extension Date: SQLDecodable {
    public init?(postgresText text: String) {
        guard let date = PostgresText.parseTimestamp(text) else { return nil }
        self = date
    }
}

extension UUID: SQLDecodable {
    public init?(postgresText text: String) { self.init(uuidString: text) }
}

extension Array: SQLDecodable where Element == String {
    /// A text[] whose elements are all non-NULL.
    public init?(postgresText text: String) {
        guard let items = PostgresText.parseArray(text) else { return nil }
        var out: [String] = []
        out.reserveCapacity(items.count)
        for item in items {
            guard let item else { return nil }
            out.append(item)
        }
        self = out
    }
}
