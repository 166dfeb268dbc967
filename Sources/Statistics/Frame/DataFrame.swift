import Primitives

/// A table of named, typed columns: what every model in ail reads its data from.
///
/// Filled straight from CSV bytes (``DataFrame/init(csvBytes:types:)``) or, in the Analytics
/// layer, from PostgreSQL's binary COPY — never through a `String` per numeric cell. Each column
/// has one type and a validity mask for missing values (empty, `NA`, `NaN`, `null` in a CSV;
/// NULL in PostgreSQL).
public struct DataFrame: Sendable {
    /// The columns, in source order.
    public let columns: [Column]
    /// The number of rows (every column has this many).
    public let rowCount: Int
    /// The number messages give row 0: 2 for a CSV file (its header is row 1), 1 otherwise.
    public let rowNumberBase: Int

    /// A frame of columns of equal length with distinct names.
    /// - Throws: ``NumericsError/Code/invalidData`` when lengths differ or a name repeats.
    public init(columns: [Column], rowNumberBase: Int = 1) throws {
        let count = columns.first?.count ?? 0
        var seen: Set<String> = []
        for c in columns {
            guard c.count == count else {
                throw NumericsError(.invalidData, "column '\(c.name)' has \(c.count) rows, column '\(columns[0].name)' has \(count)")
            }
            guard seen.insert(c.name).inserted else {
                throw NumericsError(.invalidData, "the data name column '\(c.name)' twice; a formula could not tell them apart")
            }
        }
        self.columns = columns
        self.rowCount = count
        self.rowNumberBase = rowNumberBase
    }

    /// Column names in order.
    public var columnNames: [String] { columns.map(\.name) }

    /// The column called `name`.
    /// - Throws: ``NumericsError/Code/unknownColumn`` listing the columns there are.
    public func column(named name: String) throws -> Column {
        guard let c = columns.first(where: { $0.name == name }) else {
            throw NumericsError(.unknownColumn, "unknown column '\(name)'; the columns are: \(columnNames.joined(separator: ", "))")
        }
        return c
    }
}

/// The storage type of a column.
public enum ColumnType: String, Sendable, CaseIterable {
    /// IEEE double.
    case float64
    /// 64-bit signed integer.
    case int64
    /// true/false.
    case bool
    /// Dictionary-coded strings: one small code per row and the distinct levels once.
    case categorical
    /// Microseconds since 1970-01-01 00:00 UTC.
    case timestamp
    /// One string per row.
    case text
}

/// One named column: typed values and which rows hold a value.
public struct Column: Sendable {
    /// Typed storage. Rows that are missing hold a placeholder (0, false, code −1, "").
    public enum Values: Sendable {
        case float64([Double])
        case int64([Int64])
        case bool([Bool])
        /// `codes[row]` indexes `levels`; −1 for a missing row.
        case categorical(codes: [Int32], levels: [String])
        /// Microseconds since 1970-01-01 00:00 UTC.
        case timestamp([Int64])
        case text([String])
    }

    public let name: String
    public let values: Values
    /// `validity[row]` is false where the value is missing; nil when every row has a value.
    public let validity: [Bool]?

    public init(name: String, values: Values, validity: [Bool]? = nil) {
        self.name = name
        self.values = values
        self.validity = validity.flatMap { $0.contains(false) ? $0 : nil }
    }

    public var type: ColumnType {
        switch values {
        case .float64: return .float64
        case .int64: return .int64
        case .bool: return .bool
        case .categorical: return .categorical
        case .timestamp: return .timestamp
        case .text: return .text
        }
    }

    public var count: Int {
        switch values {
        case .float64(let v): return v.count
        case .int64(let v), .timestamp(let v): return v.count
        case .bool(let v): return v.count
        case .categorical(let codes, _): return codes.count
        case .text(let v): return v.count
        }
    }

    /// Whether `row` holds a value.
    @inline(__always) public func isValid(_ row: Int) -> Bool { validity?[row] ?? true }

    /// The value at `row` as text, as it would name a level (`rank2`): integers without a
    /// decimal point, doubles in their shortest round-trip form (integral ones without `.0`),
    /// booleans as `true`/`false`, timestamps as RFC 3339 UTC (`2024-05-01T12:00:00Z`). Nil when
    /// missing.
    public func text(at row: Int) -> String? {
        guard isValid(row) else { return nil }
        switch values {
        case .float64(let v): return Column.levelText(v[row])
        case .int64(let v): return String(v[row])
        case .bool(let v): return v[row] ? "true" : "false"
        case .categorical(let codes, let levels): return codes[row] >= 0 ? levels[Int(codes[row])] : nil
        case .timestamp(let v): return TimestampText.format(microseconds: v[row])
        case .text(let v): return v[row]
        }
    }

    /// A double as a level name: `2` rather than `2.0`, otherwise Swift's shortest round trip.
    static func levelText(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }
}
