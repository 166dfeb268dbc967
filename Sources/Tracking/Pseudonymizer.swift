import Crypto
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns people's names into stable pseudonyms: `dev_` + the first 128 bits of
/// HMAC-SHA256(key, name) in hex. The raw name is never stored; without the key the pseudonym
/// cannot be reversed by guessing names.
///
/// The key comes from the environment variable `AIL_PSEUDONYM_KEY` (any text, used as bytes) or
/// from `<data folder>/pseudonym.key`, created once per installation (32 random bytes, hex, mode
/// 0600). Losing the key file means new pseudonyms for the same people.
public final class Pseudonymizer {
    /// Environment variable that overrides the key file.
    public static let environmentVariable = "AIL_PSEUDONYM_KEY"
    /// File name of the key inside the data folder.
    public static let keyFileName = "pseudonym.key"

    private let key: SymmetricKey
    private var cache: [String: String] = [:]

    /// A pseudonymizer with an explicit key.
    public init(key: Data) {
        self.key = SymmetricKey(data: key)
    }

    /// The installation's pseudonymizer: key from the environment, else from the key file in
    /// `dataFolder` (created when absent).
    public convenience init(dataFolder: URL, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        if let text = environment[Pseudonymizer.environmentVariable], !text.isEmpty {
            self.init(key: Data(text.utf8))
        } else {
            self.init(key: try Pseudonymizer.loadOrCreateKey(in: dataFolder))
        }
    }

    /// Pseudonym for `name` (leading/trailing whitespace ignored).
    public func pseudonym(for name: String) -> String {
        let normalized = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if let hit = cache[normalized] { return hit }
        let mac = HMAC<SHA256>.authenticationCode(for: Data(normalized.utf8), using: key)
        let hex = Array(mac).prefix(16).map { byte -> String in
            let s = String(byte, radix: 16)
            return s.count == 1 ? "0" + s : s
        }.joined()
        let result = "dev_" + hex
        if cache.count < 100_000 { cache[normalized] = result }
        return result
    }

    /// Reads the key file, creating it (exclusively, mode 0600) when it does not exist yet.
    public static func loadOrCreateKey(in folder: URL) throws -> Data {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(keyFileName)
        if let existing = try? String(contentsOf: url, encoding: .utf8) {
            return try decodeKey(existing, path: url.path)
        }
        var random = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &random) }
        let hex = bytes.map { String(format: "%02x", $0) }.joined() + "\n"
        let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        if fd < 0 {
            // Another process created it first: use theirs.
            if errno == EEXIST, let existing = try? String(contentsOf: url, encoding: .utf8) {
                return try decodeKey(existing, path: url.path)
            }
            throw PseudonymKeyError(path: url.path, message: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        let written = hex.withCString { write(fd, $0, strlen($0)) }
        guard written == hex.utf8.count, fsync(fd) == 0 else {
            throw PseudonymKeyError(path: url.path, message: "could not write the key")
        }
        return Data(bytes)
    }

    static func decodeKey(_ text: String, path: String) throws -> Data {
        let hex = Array(text.trimmingCharacters(in: .whitespacesAndNewlines).utf8)
        guard hex.count >= 32, hex.count % 2 == 0 else {
            throw PseudonymKeyError(path: path, message: "expected at least 32 hex digits")
        }
        var bytes: [UInt8] = []
        var k = 0
        while k < hex.count {
            guard let b = UInt8(String(decoding: hex[k..<(k + 2)], as: UTF8.self), radix: 16) else {
                throw PseudonymKeyError(path: path, message: "not hexadecimal")
            }
            bytes.append(b)
            k += 2
        }
        return Data(bytes)
    }
}

/// The pseudonym key file could not be read or created.
public struct PseudonymKeyError: Error, CustomStringConvertible {
    public var path: String
    public var message: String
    public var description: String { "pseudonym key \(path): \(message)" }
}
