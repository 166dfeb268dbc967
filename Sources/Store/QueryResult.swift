import CLibPQ

/// The rows of one statement, copied out of libpq's result so it can outlive it.
///
/// Values are kept in PostgreSQL's text format and decoded on access by ``Row/value(_:as:)-7p8lb``.
public struct QueryResult: RandomAccessCollection, Sendable {
    /// Column names in result order.
    public let columnNames: [String]
    /// Rows touched by INSERT/UPDATE/DELETE/COPY (from the command tag); 0 for others.
    public let affectedRows: Int
    /// The command tag, e.g. `INSERT 0 3`.
    public let commandTag: String
    fileprivate let cells: [String?]
    fileprivate let columnIndex: [String: Int]

    init(columnNames: [String], cells: [String?], affectedRows: Int, commandTag: String) {
        self.columnNames = columnNames
        self.cells = cells
        self.affectedRows = affectedRows
        self.commandTag = commandTag
        var index: [String: Int] = [:]
        for (i, name) in columnNames.enumerated() where index[name] == nil { index[name] = i }
        self.columnIndex = index
    }

    /// Copies a libpq result (tuples in text format) into a value.
    init(copying result: OpaquePointer) {
        let columns = Int(PQnfields(result))
        let rows = Int(PQntuples(result))
        var names: [String] = []
        names.reserveCapacity(columns)
        for c in 0..<columns { names.append(String(cString: PQfname(result, Int32(c)))) }
        var cells: [String?] = []
        cells.reserveCapacity(rows * columns)
        for r in 0..<rows {
            for c in 0..<columns {
                if PQgetisnull(result, Int32(r), Int32(c)) != 0 {
                    cells.append(nil)
                } else {
                    cells.append(String(cString: PQgetvalue(result, Int32(r), Int32(c))))
                }
            }
        }
        let tag = String(cString: PQcmdStatus(result))
        let affected = Int(String(cString: PQcmdTuples(result))) ?? 0
        self.init(columnNames: names, cells: cells, affectedRows: affected, commandTag: tag)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { columnNames.isEmpty ? 0 : cells.count / columnNames.count }
    public subscript(position: Int) -> Row { Row(result: self, row: position) }
}

/// One row of a ``QueryResult``.
public struct Row: Sendable {
    let result: QueryResult
    let row: Int

    /// The raw text of a column, nil for NULL.
    public func text(_ index: Int) -> String? {
        result.cells[row * result.columnNames.count + index]
    }

    /// Decodes the column at `index`; nil for SQL NULL.
    /// - Throws: ``StoreError/Code/decodingFailed`` when the text is not a valid `T`.
    public func value<T: SQLDecodable>(_ index: Int, as type: T.Type = T.self) throws -> T? {
        guard index >= 0, index < result.columnNames.count else {
            throw StoreError(code: .decodingFailed,
                             message: "column index \(index) is out of range (the row has \(result.columnNames.count) columns)")
        }
        guard let text = text(index) else { return nil }
        guard let value = T(postgresText: text) else {
            throw StoreError(code: .decodingFailed,
                             message: "column \"\(result.columnNames[index])\": cannot read \(String(reflecting: text).prefix(80)) as \(T.self)")
        }
        return value
    }

    /// Decodes the column named `column`; nil for SQL NULL.
    /// - Throws: ``StoreError/Code/decodingFailed`` for an unknown column or an invalid value.
    public func value<T: SQLDecodable>(_ column: String, as type: T.Type = T.self) throws -> T? {
        guard let index = result.columnIndex[column] else {
            throw StoreError(code: .decodingFailed,
                             message: "no column named \"\(column)\" in the result (columns: \(result.columnNames.joined(separator: ", ")))")
        }
        return try value(index, as: type)
    }

    /// Decodes a column that must not be NULL.
    public func required<T: SQLDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        guard let v = try value(column, as: type) else {
            throw StoreError(code: .decodingFailed, message: "column \"\(column)\" is NULL where a \(T.self) was expected")
        }
        return v
    }
}
