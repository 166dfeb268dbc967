import Statistics
import Store

/// Fills a ``DataFrame`` from a PostgreSQL query through binary COPY, with no text round trip.
///
/// This adapter lives in Analytics, the layer that imports both Store (the connection and the
/// COPY decoder) and Statistics (the frame), so neither of those imports the other: the one-way
/// rule of DESIGN.md (Statistics imports nothing of the project; Store knows no statistics).
///
/// Column types come from the server's description of the query: `smallint`/`integer`/`bigint`
/// → int64; `real`/`double precision` → float64; `numeric` → float64 (the nearest double);
/// `boolean` → bool; `text`/`varchar`/`char`/`name` and enums → categorical; `timestamptz` and
/// `timestamp` → timestamp (microseconds since 1970, UTC). NULL is a missing value. The query
/// runs in a READ ONLY transaction that is rolled back, so `COPY (DELETE … RETURNING …)` fails
/// with SQLSTATE 25006 and nothing is ever written.
public enum PostgresFrame {
    /// The rows of `query` (any SELECT, or anything COPY accepts that only reads).
    /// - Throws: the server's ``StoreError`` (with its SQLSTATE) for a bad query, an unknown
    ///   table or a write; ``StoreError/Code/invalidArgument`` naming the column for a type
    ///   that cannot become a frame column.
    ///
    /// With `only`, just those columns are decoded (and only their types must be readable):
    /// a model needs the columns its formula names, not a table's every column.
    public static func read(_ connection: Connection, query: String, only: Set<String>? = nil) throws -> DataFrame {
        try connection.executeScript("BEGIN TRANSACTION READ ONLY")
        defer { try? connection.executeScript("ROLLBACK") }
        let described = try connection.describeColumns(of: query)
        // a name the model needs that the query does not return: list what it does return
        if let missing = only?.subtracting(described.map(\.name)).sorted().first {
            throw NumericsError(.unknownColumn, "unknown column '\(missing)'; the query returns: \(described.map(\.name).joined(separator: ", "))")
        }
        let wanted = described.indices.filter { only?.contains(described[$0].name) ?? true }
        var decoders = try wanted.map { try ColumnDecoder(described[$0]) }
        try connection.copyOutBinary(query: query) { row in
            for (k, i) in wanted.enumerated() { try decoders[k].append(row, i) }
        }
        return try DataFrame(columns: zip(wanted, decoders).map { $1.column(named: described[$0].name) })
    }

    /// The rows of table (or view) `name`; `schema.table` is allowed, each part quoted as an
    /// identifier. With `only`, just those columns are selected (sorted by name).
    public static func read(_ connection: Connection, table name: String, only: Set<String>? = nil) throws -> DataFrame {
        let list = only.map { $0.sorted().map(quotedIdentifier(part:)).joined(separator: ", ") } ?? "*"
        return try read(connection, query: "SELECT \(list) FROM " + quotedIdentifier(name), only: only)
    }

    /// One identifier in double quotes, any quote inside doubled.
    static func quotedIdentifier(part: String) -> String {
        "\"" + part.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `a.b` → `"a"."b"`, doubling any quote inside a part.
    static func quotedIdentifier(_ name: String) -> String {
        name.split(separator: ".", omittingEmptySubsequences: false).map { quotedIdentifier(part: String($0)) }.joined(separator: ".")
    }
}

/// Decodes one binary COPY field per row into typed storage.
private struct ColumnDecoder {
    enum Kind { case int, float, numeric, bool, categorical, timestamp }
    let kind: Kind
    var doubles: [Double] = []
    var ints: [Int64] = []
    var bools: [Bool] = []
    var codes: [Int32] = []
    var interner = LevelInterner()
    var validity: [Bool] = []

    /// Microseconds from 1970-01-01 to PostgreSQL's epoch 2000-01-01.
    static let epochOffset: Int64 = 946_684_800 * 1_000_000

    init(_ column: ResultColumn) throws {
        switch column.typeOID {
        case 20, 21, 23: kind = .int                 // int8, int2, int4
        case 700, 701: kind = .float                 // float4, float8
        case 1700: kind = .numeric
        case 16: kind = .bool
        case 25, 1042, 1043, 19: kind = .categorical // text, bpchar, varchar, name
        case 1114, 1184: kind = .timestamp           // timestamp, timestamptz
        default:
            guard column.isEnum else {
                throw StoreError(code: .invalidArgument,
                                 message: "column \"\(column.name)\" has type \(column.typeName), which a model cannot read; cast it in the query (e.g. \(column.name)::float8 or \(column.name)::text)")
            }
            kind = .categorical
        }
    }

    mutating func append(_ row: BinaryCopyRow, _ i: Int) throws {
        let valid = !row.isNull(i)
        validity.append(valid)
        switch kind {
        case .int: ints.append(Int64(try row.int(i) ?? 0))
        case .float: doubles.append(try row.double(i) ?? 0)
        case .numeric: doubles.append(try row.numeric(i) ?? 0)
        case .bool: bools.append(try row.bool(i) ?? false)
        case .timestamp: ints.append(valid ? Int64(try row.int(i) ?? 0) + Self.epochOffset : 0)
        case .categorical:
            guard let bytes = row.bytes(i) else { codes.append(-1); return }
            codes.append(interner.code(bytes))
        }
    }

    func column(named name: String) -> Column {
        let values: Column.Values
        switch kind {
        case .int: values = .int64(ints)
        case .float, .numeric: values = .float64(doubles)
        case .bool: values = .bool(bools)
        case .timestamp: values = .timestamp(ints)
        case .categorical: values = .categorical(codes: codes, levels: interner.levels)
        }
        return Column(name: name, values: values, validity: validity)
    }
}
