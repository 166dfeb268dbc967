import Foundation
import Store
import TestSupport
import Testing

@Suite("Server errors map to typed codes")
struct ErrorMappingTests {
    let connection: Connection

    init() throws {
        connection = try TestDatabase.create(migrated: false).connect()
        try connection.executeScript("""
            CREATE TABLE items (id int PRIMARY KEY, rating int CHECK (rating BETWEEN 1 AND 5), name text NOT NULL DEFAULT 'x');
            INSERT INTO items (id, rating) VALUES (1, 3);
            """)
    }

    @Test func uniqueViolation() throws {
        let error = try #require(throws: StoreError.self) { try connection.execute("INSERT INTO items (id, rating) VALUES (1, 4)") }
        #expect(error.code == .uniqueViolation)
        #expect(error.sqlState == "23505")
        #expect(error.constraint == "items_pkey")
        #expect(error.detail?.contains("(id)=(1)") == true)
    }

    @Test func checkViolation() throws {
        let error = try #require(throws: StoreError.self) { try connection.execute("INSERT INTO items (id, rating) VALUES ($1, $2)", [2, 9]) }
        #expect(error.code == .checkViolation)
        #expect(error.sqlState == "23514")
        #expect(error.constraint == "items_rating_check")
    }

    @Test func notNullViolation() throws {
        let error = try #require(throws: StoreError.self) { try connection.execute("INSERT INTO items (id, rating, name) VALUES (3, 1, NULL)") }
        #expect(error.code == .notNullViolation)
    }

    @Test func undefinedTable() throws {
        let error = try #require(throws: StoreError.self) { try connection.execute("SELECT * FROM no_such_table") }
        #expect(error.code == .undefinedTable)
        #expect(error.sqlState == "42P01")
        #expect(error.message.contains("no_such_table"))
    }

    @Test func syntaxError() throws {
        let error = try #require(throws: StoreError.self) { try connection.execute("SELEKT 1") }
        #expect(error.code == .syntaxError)
        #expect(error.sqlState == "42601")
    }

    @Test func serverHintIsCarried() throws {
        let error = try #require(throws: StoreError.self) { try connection.execute("SELECT * FROM items WHERE nme = 1") }
        #expect(error.code == .undefinedColumn)
        #expect(error.hint?.contains("name") == true)
        // The connection is still usable after errors.
        #expect(try connection.execute("SELECT count(*) FROM items").first?.value(0, as: Int.self) == 1)
    }

    @Test func connectionFailureNamesTheSocketAndCause() throws {
        let error = try #require(throws: StoreError.self) { try Connection(dsn: "host=/tmp/ail-nowhere port=1 user=x dbname=y connect_timeout=2") }
        #expect(error.code == .connectionFailed)
        #expect(error.message.contains("/tmp/ail-nowhere/.s.PGSQL.1"))
        #expect(error.message.contains("No such file or directory"))
    }

    @Test func connectionFailureNamesTheHost() throws {
        let error = try #require(throws: StoreError.self) { try Connection(dsn: "host=127.0.0.1 port=9 user=x dbname=y connect_timeout=2") }
        #expect(error.code == .connectionFailed)
        #expect(error.message.contains("127.0.0.1"))
        #expect(error.message.lowercased().contains("refused"))
    }
}
