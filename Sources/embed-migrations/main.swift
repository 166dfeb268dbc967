// Writes a Swift file holding the bytes of each migration file (base64, so the checksum of the
// embedded copy is the checksum of the file, line endings included).
// Usage: embed-migrations OUTPUT.swift FILE.sql...
import Foundation

let arguments = CommandLine.arguments.dropFirst()
guard let outputPath = arguments.first else {
    FileHandle.standardError.write(Data("usage: embed-migrations OUTPUT.swift FILE.sql...\n".utf8))
    exit(64)
}
var source = """
    // Generated at build time by embed-migrations from migrations/*.sql. Do not edit.

    extension EmbeddedMigrations {
        /// File name and base64 of the bytes of every migration file, in name order.
        static let encodedFiles: [(name: String, base64: String)] = [

    """
for path in arguments.dropFirst().sorted(by: { ($0 as NSString).lastPathComponent < ($1 as NSString).lastPathComponent }) {
    guard let data = FileManager.default.contents(atPath: path) else {
        FileHandle.standardError.write(Data("embed-migrations: cannot read \(path)\n".utf8))
        exit(66)
    }
    let name = (path as NSString).lastPathComponent
    source += "        (\"\(name)\", \"\(data.base64EncodedString())\"),\n"
}
source += "    ]\n}\n"
do {
    try Data(source.utf8).write(to: URL(fileURLWithPath: outputPath), options: .atomic)
} catch {
    FileHandle.standardError.write(Data("embed-migrations: cannot write \(outputPath): \(error)\n".utf8))
    exit(73)
}
