import Foundation

/// The migration files compiled into the binary by the package's EmbedMigrations build plugin:
/// what `ail migrate` applies, so the binary works from any folder once it is copied or installed.
public enum EmbeddedMigrations {
    /// Every embedded migration in name order, with the SHA-256 of its bytes.
    public static var all: [MigrationRunner.Migration] {
        encodedFiles.map { file in
            // The build plugin wrote valid base64 of UTF-8 files read by PostgreSQL; a failure here
            // would be a broken build, not bad input.
            let data = Data(base64Encoded: file.base64) ?? Data()
            return MigrationRunner.Migration(filename: file.name,
                                             checksum: MigrationRunner.checksum(data),
                                             sql: String(decoding: data, as: UTF8.self))
        }
    }
}
