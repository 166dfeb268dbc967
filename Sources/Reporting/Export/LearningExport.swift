import Crypto
import Foundation
import Store

/// `ail learning export`: every data table as one CSV file, a data dictionary built from the
/// column comments, and `manifest.json` with each file's row count and SHA-256, for notebooks.
///
/// All tables are read in one `REPEATABLE READ READ ONLY` transaction, so the files are one
/// consistent snapshot and the counts in the manifest are the rows in the files. CSV is
/// PostgreSQL's `COPY … TO STDOUT (FORMAT csv, HEADER)`: RFC 4180 quoting (fields with a comma,
/// quote or line break are quoted, quotes doubled), a header row, NULL as an empty unquoted field
/// and the empty string as `""`, UTF-8, `\n` line ends (what pandas, R and Python's csv read).
/// Rows are ordered by primary key, so an unchanged table exports byte-identical.
public struct LearningExport {
    /// Operational tables that are not data for analysis.
    public static let skippedTables: Set<String> = ["ail_schema_migrations", "scheduled_jobs", "scheduled_job_runs", "ingest_rejects"]

    public let connection: Connection
    public init(_ connection: Connection) { self.connection = connection }

    /// Exports into `folder` (created if missing; files of the same name are replaced).
    /// - Returns: the manifest also written to `folder/manifest.json`.
    @discardableResult
    public func run(into folder: URL, now: Date = Date()) throws -> ExportManifest {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try connection.executeScript("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        do {
            let manifest = try export(into: folder, now: now)
            try connection.executeScript("COMMIT")
            return manifest
        } catch {
            try? connection.executeScript("ROLLBACK")
            throw error
        }
    }

    private func export(into folder: URL, now: Date) throws -> ExportManifest {
        var files: [ExportManifest.TableFile] = []
        for table in try tables() {
            let columns = try SchemaProbe(connection).columns(table)
            let keys = try primaryKey(table)
            let order = keys.isEmpty ? "" : " ORDER BY " + keys.map(SchemaProbe.quoted).joined(separator: ", ")
            let file = table + ".csv"
            let (rows, digest, bytes) = try write(folder.appendingPathComponent(file)) { sink in
                try connection.copyOut("COPY (SELECT * FROM \(SchemaProbe.quoted(table))\(order)) TO STDOUT WITH (FORMAT csv, HEADER true)", sink)
            }
            files.append(.init(table: table, file: file, rows: rows, bytes: bytes, sha256: digest, columns: columns))
        }
        let dictionary = try dictionaryCSV(tables: files.map(\.table))
        let dictionaryURL = folder.appendingPathComponent("data_dictionary.csv")
        try Data(dictionary.utf8).write(to: dictionaryURL, options: .atomic)
        let manifest = ExportManifest(
            formatVersion: 1, exportedAt: ISO8601DateFormatter().string(from: now), engineVersion: EngineVersion.current,
            csvDialect: "RFC 4180 quoting, header row, UTF-8, LF line ends, NULL = empty unquoted field",
            tables: files,
            dataDictionary: .init(file: "data_dictionary.csv", sha256: ExportManifest.sha256(Data(dictionary.utf8))))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        try encoder.encode(manifest).write(to: folder.appendingPathComponent("manifest.json"), options: .atomic)
        return manifest
    }

    /// The data tables of the current schema (partitioned parents, not their partitions), by name.
    public func tables() throws -> [String] {
        try connection.execute("""
            SELECT c.relname FROM pg_class c
             WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
             ORDER BY c.relname
            """).compactMap { $0.text(0) }.filter { !Self.skippedTables.contains($0) }
    }

    private func primaryKey(_ table: String) throws -> [String] {
        try connection.execute("""
            SELECT a.attname FROM pg_index i
              JOIN LATERAL unnest(i.indkey) WITH ORDINALITY k(attnum, n) ON true
              JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
             WHERE i.indrelid = to_regclass($1) AND i.indisprimary ORDER BY k.n
            """, [.text(table)]).compactMap { $0.text(0) }
    }

    /// Streams COPY data into `url`, hashing as it goes. Returns rows, hex SHA-256 and bytes.
    private func write(_ url: URL, _ produce: ((UnsafeRawBufferPointer) throws -> Void) throws -> Int) throws -> (Int, String, Int) {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.truncate(atOffset: 0)
        var hasher = SHA256()
        var bytes = 0
        var buffer = Data()
        let rows = try produce { chunk in
            hasher.update(bufferPointer: chunk)
            bytes += chunk.count
            buffer.append(contentsOf: chunk)
            if buffer.count >= 1 << 20 { try handle.write(contentsOf: buffer); buffer.removeAll(keepingCapacity: true) }
        }
        try handle.write(contentsOf: buffer)
        return (rows, hasher.finalize().map { String(format: "%02x", $0) }.joined(), bytes)
    }

    /// `table,column,position,type,nullable,description` for every column (`column` and
    /// `position` empty on the row describing the table itself), from `pg_description`.
    private func dictionaryCSV(tables: [String]) throws -> String {
        let rows = try connection.execute("""
            SELECT c.relname, NULL::text, NULL::int, 'table'::text, NULL::text, obj_description(c.oid, 'pg_class')
              FROM pg_class c WHERE c.oid = ANY (SELECT to_regclass(t) FROM unnest($1::text[]) t)
            UNION ALL
            SELECT c.relname, a.attname, a.attnum, format_type(a.atttypid, a.atttypmod), CASE WHEN a.attnotnull THEN 'no' ELSE 'yes' END,
                   col_description(c.oid, a.attnum)
              FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
             WHERE c.oid = ANY (SELECT to_regclass(t) FROM unnest($1::text[]) t)
             ORDER BY 1, 3 NULLS FIRST
            """, [.textArray(tables)])
        var out = "table,column,position,type,nullable,description\n"
        for row in rows {
            out += (0..<6).map { CSVField.quote(row.text($0) ?? "") }.joined(separator: ",") + "\n"
        }
        return out
    }
}

/// RFC 4180 quoting of one field: quoted when it holds a comma, quote, CR or LF (quotes doubled).
public enum CSVField {
    public static func quote(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// `manifest.json` of an export: what each file holds and how to check it.
public struct ExportManifest: Codable, Sendable, Equatable {
    public struct TableFile: Codable, Sendable, Equatable {
        public var table: String, file: String
        public var rows: Int, bytes: Int
        public var sha256: String
        public var columns: [String]
    }
    public struct DictionaryFile: Codable, Sendable, Equatable {
        public var file: String, sha256: String
    }
    public var formatVersion: Int
    public var exportedAt: String
    public var engineVersion: String
    public var csvDialect: String
    public var tables: [TableFile]
    public var dataDictionary: DictionaryFile

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version", exportedAt = "exported_at", engineVersion = "engine_version"
        case csvDialect = "csv_dialect", tables, dataDictionary = "data_dictionary"
    }

    /// Hex SHA-256 of `data`.
    public static func sha256(_ data: Data) -> String { SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() }
}
