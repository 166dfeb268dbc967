import Foundation

/// A private PostgreSQL cluster under a data folder, listening on a Unix socket only.
///
/// Layout under ``home``: `pgdata/` (the cluster), `run/` (the socket), `postgres.log`.
/// The cluster is created on first use with `initdb` (trust authentication, reachable only through
/// the socket folder, which only its owner can enter). PostgreSQL refuses to run as root, so as
/// root the server runs as the `postgres` system user, which owns `pgdata/` and `run/`.
public struct EmbeddedServer: Sendable {
    /// The data folder (default `./.ail`, or `AIL_HOME`).
    public let home: URL
    /// The database `ail` uses inside the cluster.
    public let databaseName: String
    public let port: Int

    public init(home: URL, databaseName: String = "ail", port: Int = 5432) {
        self.home = home.standardizedFileURL
        self.databaseName = databaseName
        self.port = port
    }

    public var dataDirectory: URL { home.appendingPathComponent("pgdata") }
    public var logFile: URL { home.appendingPathComponent("postgres.log") }

    /// The socket folder: `run/` under the data folder, or a short folder under /tmp when that
    /// path would exceed the 107-byte limit of a Unix socket path.
    public var socketDirectory: URL {
        let inside = home.appendingPathComponent("run")
        if inside.path.utf8.count + 16 < 100 { return inside }
        let digest = home.path.utf8.reduce(UInt64(14_695_981_039_346_656_037)) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 }
        return URL(fileURLWithPath: "/tmp/ail-\(String(digest, radix: 36))")
    }

    /// libpq connection string for the embedded database.
    public var dsn: String { "host=\(socketDirectory.path) port=\(port) user=postgres dbname=\(databaseName)" }
    var maintenanceDSN: String { "host=\(socketDirectory.path) port=\(port) user=postgres dbname=postgres" }

    /// Whether the server process is running (per `pg_ctl status`).
    public func isRunning() throws -> Bool {
        guard FileManager.default.fileExists(atPath: dataDirectory.appendingPathComponent("PG_VERSION").path) else { return false }
        let tools = try ServerBinaries.locate()
        return try runAsOwner([tools.pgCtl, "-D", dataDirectory.path, "status"], allowFailure: true).status == 0
    }

    /// Whether the cluster has been created.
    public var exists: Bool { FileManager.default.fileExists(atPath: dataDirectory.appendingPathComponent("PG_VERSION").path) }

    /// Creates the cluster if needed, starts it if it is down, and makes sure the database exists.
    /// - Returns: true when this call started the server.
    @discardableResult
    public func start() throws -> Bool {
        let tools = try ServerBinaries.locate()
        try prepareFolders()
        if !exists { try initialize(tools) }
        var started = false
        if try !isRunning() {
            try? FileManager.default.removeItem(at: socketDirectory.appendingPathComponent(".s.PGSQL.\(port).lock"))
            let options = "-k \(socketDirectory.path) -p \(port) -c listen_addresses=''"
            let result = try runAsOwner([tools.pgCtl, "-D", dataDirectory.path, "-l", logFile.path, "-w", "-t", "60", "-o", options, "start"],
                                        allowFailure: true)
            guard result.status == 0 else {
                let tail = (try? String(contentsOf: logFile, encoding: .utf8))?.split(separator: "\n").suffix(5).joined(separator: "\n") ?? ""
                throw StoreError(code: .embeddedServerFailed, message: "the embedded PostgreSQL server did not start: \(result.output)\n\(tail)",
                                 hint: "see \(logFile.path)")
            }
            started = true
        }
        try ensureDatabase()
        return started
    }

    /// Stops the server (fast shutdown: open transactions roll back, committed data stays).
    /// - Returns: true when a running server was stopped.
    @discardableResult
    public func stop() throws -> Bool {
        guard try isRunning() else { return false }
        let tools = try ServerBinaries.locate()
        let result = try runAsOwner([tools.pgCtl, "-D", dataDirectory.path, "-m", "fast", "-w", "stop"], allowFailure: true)
        guard result.status == 0 else {
            throw StoreError(code: .embeddedServerFailed, message: "stopping the embedded server failed: \(result.output)")
        }
        return true
    }

    /// Removes the cluster and the socket folder (after stopping the server).
    public func destroy() throws {
        _ = try? stop()
        try? FileManager.default.removeItem(at: dataDirectory)
        try? FileManager.default.removeItem(at: socketDirectory)
        try? FileManager.default.removeItem(at: logFile)
    }

    private func prepareFolders() throws {
        let fm = FileManager.default
        do {
            try fm.createDirectory(at: home, withIntermediateDirectories: true)
            for folder in [dataDirectory, socketDirectory] where !fm.fileExists(atPath: folder.path) {
                try fm.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
        } catch {
            throw StoreError(code: .embeddedServerFailed, message: "cannot create the data folder \(home.path): \(error.localizedDescription)")
        }
        if ServerUser.isRoot {
            // The postgres user must own its folders and be able to traverse to them.
            _ = try ChildProcess.run(["/bin/chown", "postgres:postgres", dataDirectory.path, socketDirectory.path])
            _ = try ChildProcess.run(["/bin/chmod", "0755", home.path])
            if !fm.fileExists(atPath: logFile.path) { fm.createFile(atPath: logFile.path, contents: nil) }
            _ = try ChildProcess.run(["/bin/chown", "postgres:postgres", logFile.path])
        }
    }

    private func initialize(_ tools: ServerBinaries) throws {
        let result = try runAsOwner([tools.initdb, "-D", dataDirectory.path, "-U", "postgres", "--auth=trust",
                                     "--encoding=UTF8", "--locale=C", "--no-sync"], allowFailure: true)
        guard result.status == 0 else {
            throw StoreError(code: .embeddedServerFailed, message: "initdb failed for \(dataDirectory.path): \(result.output)")
        }
        let settings = """

            # ail embedded server: private Unix socket only.
            listen_addresses = ''
            unix_socket_permissions = 0700
            fsync = on
            max_connections = 50
            shared_buffers = 128MB
            max_wal_size = 2GB
            log_min_messages = warning

            """
        let conf = dataDirectory.appendingPathComponent("postgresql.conf")
        guard let handle = try? FileHandle(forWritingTo: conf) else {
            throw StoreError(code: .embeddedServerFailed, message: "cannot write \(conf.path)")
        }
        handle.seekToEndOfFile()
        handle.write(Data(settings.utf8))
        try? handle.close()
    }

    private func ensureDatabase() throws {
        var lastError: Error?
        // The server accepts connections a moment after pg_ctl -w returns on slow machines.
        for attempt in 0..<50 {
            do {
                let admin = try Connection(dsn: maintenanceDSN)
                let found = try admin.execute("SELECT 1 FROM pg_database WHERE datname = $1", [.text(databaseName)])
                if found.isEmpty {
                    do {
                        try admin.executeScript("CREATE DATABASE \(EmbeddedServer.quoteIdentifier(databaseName))")
                    } catch let error as StoreError where error.sqlState == "42P04" {
                        // Created concurrently by another process: fine.
                    }
                }
                return
            } catch {
                lastError = error
                if attempt < 49 { usleep(100_000) }
            }
        }
        throw lastError ?? StoreError(code: .embeddedServerFailed, message: "cannot reach the embedded server")
    }

    /// Double-quotes an SQL identifier.
    public static func quoteIdentifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private func runAsOwner(_ arguments: [String], allowFailure: Bool = false) throws -> ChildProcess.Result {
        if ServerUser.isRoot {
            return try ChildProcess.run(["/usr/sbin/runuser", "-u", "postgres", "--"] + arguments, allowFailure: allowFailure)
        }
        return try ChildProcess.run(arguments, allowFailure: allowFailure)
    }
}

/// Where the PostgreSQL server programs live.
public struct ServerBinaries: Sendable {
    public let initdb: String
    public let pgCtl: String

    /// Finds `initdb` and `pg_ctl`: `AIL_PG_BINDIR`, then the newest `/usr/lib/postgresql/*/bin`,
    /// then `PATH`.
    /// - Throws: ``StoreError/Code/serverNotInstalled`` saying which package to install.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment,
                              versionsRoot: String = "/usr/lib/postgresql") throws -> ServerBinaries {
        let fm = FileManager.default
        var candidates: [String] = []
        if let dir = environment["AIL_PG_BINDIR"] { candidates.append(dir) }
        if let versions = try? fm.contentsOfDirectory(atPath: versionsRoot) {
            let sorted = versions.compactMap { v -> (Int, String)? in Int(v).map { ($0, v) } }.sorted { $0.0 > $1.0 }
            candidates += sorted.map { "\(versionsRoot)/\($0.1)/bin" }
        }
        candidates += (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        for dir in candidates {
            let initdb = dir + "/initdb", pgCtl = dir + "/pg_ctl"
            if fm.isExecutableFile(atPath: initdb), fm.isExecutableFile(atPath: pgCtl) {
                return ServerBinaries(initdb: initdb, pgCtl: pgCtl)
            }
        }
        throw StoreError(code: .serverNotInstalled,
                         message: "the PostgreSQL server programs (initdb, pg_ctl) were not found in \(versionsRoot)/*/bin or PATH",
                         hint: "install them with: apt-get install -y postgresql  (or set AIL_PG_BINDIR, or give a server with --dsn)")
    }
}

enum ServerUser {
    static var isRoot: Bool { geteuid() == 0 }
}

