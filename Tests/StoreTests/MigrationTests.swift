import Foundation
import Store
import TestSupport
import Testing

@Suite("Migrations")
struct MigrationTests {
    /// A private copy of migrations/ that a test may edit.
    func scratchMigrations() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ail-migrations-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: PackagePaths.migrations, to: folder)
        return folder
    }

    @Test func applyingTwiceChangesNothing() throws {
        let database = try TestDatabase.create(migrated: false)
        let connection = try database.connect()
        let runner = MigrationRunner(directory: PackagePaths.migrations)
        let first = try runner.migrate(connection)
        #expect(first.applied.first == "016_create_ai_learning_tracking.sql")
        #expect(first.alreadyApplied.isEmpty)
        let schema = try schemaFingerprint(connection)
        let second = try runner.migrate(connection)
        #expect(second.applied.isEmpty)
        #expect(second.alreadyApplied == first.applied)
        #expect(try schemaFingerprint(connection) == schema)
    }

    /// A role that may read and write the tables but owns nothing (an ingest-only DSN) can run
    /// the migration check every command makes: with nothing pending it does no DDL.
    @Test func aNonOwnerRoleCanCheckACurrentSchema() throws {
        let database = try TestDatabase.create(migrated: true)
        let admin = try database.connect()
        let role = "writer_\(database.name)"
        try admin.executeScript("""
            CREATE ROLE \(role) LOGIN;
            GRANT USAGE ON SCHEMA public TO \(role);
            GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO \(role);
            GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO \(role);
            """)
        defer {
            _ = try? admin.executeScript("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM \(role); REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM \(role); REVOKE ALL ON SCHEMA public FROM \(role)")
            _ = try? admin.executeScript("DROP ROLE \(role)")
        }
        let writer = try Connection(dsn: database.dsn + " user=\(role)")
        #expect(try writer.execute("SELECT current_user").first?.value(0, as: String.self) == role)
        let report = try MigrationRunner(directory: PackagePaths.migrations).migrate(writer)
        #expect(report.applied.isEmpty)
        #expect(report.alreadyApplied.first == "016_create_ai_learning_tracking.sql")
        // and the same role is refused DDL, so the check above really ran without any
        #expect(throws: StoreError.self) { try writer.executeScript("COMMENT ON TABLE ail_schema_migrations IS 'x'") }
    }

    @Test func theFileItselfIsReRunnablePlainSQL() throws {
        // What `psql -f` does twice: run the script outside the runner, twice, without error.
        let database = try TestDatabase.create(migrated: false)
        let connection = try database.connect()
        let sql = try String(contentsOf: PackagePaths.migrations.appendingPathComponent("016_create_ai_learning_tracking.sql"), encoding: .utf8)
        try connection.executeScript(sql)
        let schema = try schemaFingerprint(connection)
        try connection.executeScript(sql)
        #expect(try schemaFingerprint(connection) == schema)
        let tables = try connection.execute("""
            SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name = ANY($1::text[])
            """, [.textArray(["ai_sessions", "ai_interactions", "tool_usage_analytics", "code_generation_events", "user_feedback",
                              "context_awareness_events", "learning_events", "model_performance_metrics",
                              "ai_performance_insights", "satisfaction_metrics", "ai_performance_summary",
                              "tool_effectiveness_ranking", "code_generation_quality", "learning_insights_summary"])])
        #expect(try tables.first?.value(0, as: Int.self) == 14)
    }

    @Test func everyColumnIsDocumented() throws {
        let connection = try TestDatabase.create().connect()
        let undocumented = try connection.execute("""
            SELECT c.relname || '.' || a.attname AS col
              FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
               AND c.relname <> 'ail_schema_migrations' AND col_description(c.oid, a.attnum) IS NULL
             ORDER BY 1
            """).compactMap { try $0.value(0, as: String.self) }
        #expect(undocumented.isEmpty, "columns without COMMENT: \(undocumented)")
    }

    @Test func anEditedAppliedFileIsRefused() throws {
        let folder = try scratchMigrations()
        defer { try? FileManager.default.removeItem(at: folder) }
        let connection = try TestDatabase.create(migrated: false).connect()
        try MigrationRunner(directory: folder).migrate(connection)
        let file = folder.appendingPathComponent("016_create_ai_learning_tracking.sql")
        let original = try String(contentsOf: file, encoding: .utf8)
        try (original + "\n-- an innocent-looking edit\n").write(to: file, atomically: true, encoding: .utf8)
        let error = try #require(throws: StoreError.self) { try MigrationRunner(directory: folder).migrate(connection) }
        #expect(error.code == .migrationChecksumMismatch)
        #expect(error.message.contains("016_create_ai_learning_tracking.sql"))
        // Restoring the file makes it acceptable again.
        try original.write(to: file, atomically: true, encoding: .utf8)
        #expect(try MigrationRunner(directory: folder).migrate(connection).applied.isEmpty)
    }

    @Test func aFailingMigrationLeavesNoTrace() throws {
        let folder = try scratchMigrations()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "CREATE TABLE half_done (id int);\nSELECT no_such_function();\n"
            .write(to: folder.appendingPathComponent("999_broken.sql"), atomically: true, encoding: .utf8)
        let connection = try TestDatabase.create(migrated: false).connect()
        let error = try #require(throws: StoreError.self) { try MigrationRunner(directory: folder).migrate(connection) }
        #expect(error.code == .migrationFailed)
        #expect(error.message.contains("999_broken.sql"))
        #expect(try connection.execute("SELECT to_regclass('half_done') IS NULL").first?.value(0, as: Bool.self) == true)
        let recorded = try connection.execute("SELECT filename FROM ail_schema_migrations ORDER BY 1").compactMap { try $0.value(0, as: String.self) }
        #expect(!recorded.contains("999_broken.sql"))
        #expect(recorded.contains("016_create_ai_learning_tracking.sql"))
    }

    @Test func constraintsRejectOutOfRangeValues() throws {
        let connection = try TestDatabase.create().connect()
        try connection.execute("INSERT INTO ai_sessions (session_id) VALUES ('s1')")
        let cases: [(String, [SQLValue])] = [
            ("INSERT INTO user_feedback (event_id, session_id, rating) VALUES ($1, 's1', 6)", [.uuid(UUID())]),
            ("INSERT INTO user_feedback (event_id, session_id, rating) VALUES ($1, 's1', 0)", [.uuid(UUID())]),
            ("INSERT INTO learning_events (event_id, session_id, learning_type, confidence_score) VALUES ($1, 's1', 'p', 1.5)", [.uuid(UUID())]),
            ("INSERT INTO ai_interactions (event_id, session_id, interaction_type) VALUES ($1, 's1', 'chat')", [.uuid(UUID())]),
            ("INSERT INTO ai_interactions (event_id, session_id, interaction_type, response_time_ms) VALUES ($1, 's1', 'user_query', -1)", [.uuid(UUID())]),
            ("INSERT INTO code_generation_events (event_id, session_id, generation_type) VALUES ($1, 's1', 'poem')", [.uuid(UUID())]),
            ("INSERT INTO tool_usage_analytics (event_id, session_id, tool_name, success, execution_time_ms) VALUES ($1, 's1', 'grep', true, -5)", [.uuid(UUID())]),
            ("INSERT INTO context_awareness_events (event_id, session_id, context_type, relevance_score) VALUES ($1, 's1', 'open_files', 2)", [.uuid(UUID())]),
        ]
        for (sql, parameters) in cases {
            let error = try #require(throws: StoreError.self) { try connection.execute(sql, parameters) }
            #expect(error.code == .checkViolation, "\(sql): \(error)")
        }
        let orphan = try #require(throws: StoreError.self) {
            try connection.execute("INSERT INTO user_feedback (event_id, session_id, rating) VALUES ($1, 'nope', 4)", [.uuid(UUID())])
        }
        #expect(orphan.code == .foreignKeyViolation)
        let id = UUID()
        try connection.execute("INSERT INTO user_feedback (event_id, session_id, rating) VALUES ($1, 's1', 4)", [.uuid(id)])
        let duplicate = try #require(throws: StoreError.self) {
            try connection.execute("INSERT INTO user_feedback (event_id, session_id, rating) VALUES ($1, 's1', 5)", [.uuid(id)])
        }
        #expect(duplicate.code == .uniqueViolation)
    }

    /// Columns, constraints, indexes and views of the public schema, as one comparable text.
    func schemaFingerprint(_ connection: Connection) throws -> [String] {
        try connection.execute("""
            SELECT 'col ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '')
              FROM information_schema.columns WHERE table_schema = 'public'
            UNION ALL SELECT 'con ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = 'public'::regnamespace
            UNION ALL SELECT 'idx ' || indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
            UNION ALL SELECT 'view ' || viewname || ' ' || definition FROM pg_views WHERE schemaname = 'public'
            UNION ALL SELECT 'comment ' || objoid::regclass::text || ' ' || objsubid || ' ' || description FROM pg_description d
              JOIN pg_class c ON c.oid = d.objoid WHERE c.relnamespace = 'public'::regnamespace
            ORDER BY 1
            """).compactMap { try $0.value(0, as: String.self) }
    }
}

/// The copies of migrations/ compiled into the binary (what `ail migrate` applies) are the files,
/// byte for byte: same names, same SHA-256 checksums as the runner records for the folder.
@Suite("Embedded migrations")
struct EmbeddedMigrationTests {
    @Test func embeddedCopiesEqualTheFiles() throws {
        let files = try MigrationRunner(directory: PackagePaths.migrations).migrations()
        let embedded = try MigrationRunner.embedded.migrations()
        #expect(files.count >= 2)
        #expect(embedded.map(\.filename) == files.map(\.filename))
        #expect(embedded.map(\.checksum) == files.map(\.checksum))
        #expect(embedded.map(\.sql) == files.map(\.sql))
        for file in files {
            let bytes = try Data(contentsOf: PackagePaths.migrations.appendingPathComponent(file.filename))
            #expect(file.checksum == MigrationRunner.checksum(bytes))
        }
    }

    /// A database migrated from the embedded copies passes as current for the folder runner
    /// (same checksums recorded), and the other way round.
    @Test func embeddedAndFolderRunnersAgreeOnAMigratedDatabase() throws {
        let database = try TestDatabase.create(migrated: false)
        let connection = try database.connect()
        let first = try MigrationRunner.embedded.migrate(connection)
        #expect(first.applied.first == "016_create_ai_learning_tracking.sql")
        let second = try MigrationRunner(directory: PackagePaths.migrations).migrate(connection)
        #expect(second.applied.isEmpty)
        #expect(second.alreadyApplied == first.applied)
    }
}
