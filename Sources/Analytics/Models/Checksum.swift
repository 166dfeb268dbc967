import Crypto
import Foundation

/// SHA-256 as lowercase hex (query checksums, artifact checksums).
enum Checksum {
    static func sha256Hex(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
