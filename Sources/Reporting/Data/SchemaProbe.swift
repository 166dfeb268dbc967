import Foundation
import Store

/// What the database holds, asked before reading tables that other parts of the engine create
/// later (alerts, anomalies): a section is shown only when its table exists and has rows, so
/// the dashboard works on a database at any migration level.
public struct SchemaProbe {
    let connection: Connection

    public init(_ connection: Connection) { self.connection = connection }

    /// The first of `candidates` that is a table or view visible on the search path, or nil.
    public func firstTable(_ candidates: [String]) throws -> String? {
        for name in candidates {
            if try connection.execute("SELECT to_regclass($1) IS NOT NULL", [.text(name)]).first?.value(0, as: Bool.self) == true {
                return name
            }
        }
        return nil
    }

    /// The column names of `table`, in table order.
    public func columns(_ table: String) throws -> [String] {
        try connection.execute("""
            SELECT attname FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped ORDER BY attnum
            """, [.text(table)]).compactMap { $0.text(0) }
    }

    /// The first of `candidates` among `columns`, or nil.
    public static func pick(_ candidates: [String], in columns: [String]) -> String? {
        candidates.first { columns.contains($0) }
    }

    /// `name` quoted as an SQL identifier.
    public static func quoted(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
