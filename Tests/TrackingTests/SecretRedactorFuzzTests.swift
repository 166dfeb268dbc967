import Foundation
import Testing
import TestSupport
@testable import Tracking
import Primitives

/// Seeded fuzzing of the redactor: random text mixing planted secrets, adversarial prefixes
/// (the starts of secrets that never complete), NUL bytes, combining marks and emoji, and
/// sentinel words. Every planted secret must be gone, every sentinel kept, the output free of NUL
/// and of replacement characters (valid UTF-8 in, valid UTF-8 out), the pre-check must never
/// skip text the scanner would change, and the work must stay linear.
@Suite(.tags(.heavy), .enabled(if: HeavyTests.enabled, HeavyTests.reason)) struct SecretRedactorFuzzTests {
    let redactor = SecretRedactor()

    struct Sample {
        var text = ""
        var secrets: [String] = []   // the sensitive part of each planted secret
        var sentinels: [String] = []
    }

    static func alnum(_ count: Int, _ g: inout SeededGenerator, from pool: String = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") -> String {
        let chars = Array(pool)
        return String((0..<count).map { _ in chars[Int.random(in: 0..<chars.count, using: &g)] })
    }

    /// A secret with a random body: (text to plant, the part that must disappear).
    static func secret(_ g: inout SeededGenerator) -> (String, String) {
        let body = alnum(12, &g) + "7"  // unique, and holds a digit where a rule needs one
        switch Int.random(in: 0..<18, using: &g) {
        case 0: let s = "AKIA" + alnum(16, &g, from: "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"); return (s, s)
        case 1: let s = "gh" + String("pousr".randomElement(using: &g)!) + "_" + body + alnum(24, &g); return (s, body)
        case 2: let s = "github_pat_" + body + "_" + alnum(30, &g); return (s, body)
        case 3: return ("sk-ant-api03-" + body + alnum(20, &g), body)
        case 4: return ("sk-proj-" + body + alnum(20, &g), body)
        case 5: return ("sk-" + body + alnum(10, &g), body)
        case 6: return ("xoxb-" + body + "-" + alnum(12, &g), body)
        case 7: let s = "AIza" + alnum(35, &g, from: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"); return (s, s)
        case 8: return ("eyJhbGciOiJIUzI1NiJ9.eyJ" + body + ".sig" + alnum(20, &g), body)
        case 9: return ("Authorization: Bearer " + body + alnum(10, &g), body)
        case 10: return ("-----BEGIN RSA PRIVATE KEY-----\nMIIE" + body + "\n-----END RSA PRIVATE KEY-----", body)
        case 11: return ("postgres://app:" + body + "@db.internal:5432/x", body)
        case 12: return ("mail " + body.lowercased() + ".dev@example.co.uk", body.lowercased())
        case 13: return ("host=db user=app password=" + body + " dbname=x", body)
        case 14: return ("host=db password='" + body + " x\\'y' port=5", body)
        case 15: return (#"{"api_key": ""# + body + #"", "n": 2}"#, body)
        case 16: return ("AWS_SECRET_ACCESS_KEY=" + body + alnum(27, &g, from: "ABCDEFabcdef0123456789/+"), body)
        default: return ("export GITHUB_TOKEN=" + body, body)
        }
    }

    static let adversarial = ["sk-", "sk-ant-", "sk-proj-", "@", "x@", "a@b.", "ghp_", "github_pat_", "xoxb-", "eyJ", "eyJa.eyJ",
                              "AIza", "AKIA", "://", "https://u:", "bearer ", "Bearer\t", "password=", "token: ", "\"secret\":",
                              "-----BEGIN ", "-----END ", "\"developer\":", "\\u0040", "="]
    static let noise: [Character] = ["a", "Z", "0", "9", "-", "_", ".", "@", ":", "/", "=", "\"", "'", " ", "\t", "é", "ß", "日",
                                     "\u{0}", "\u{301}", "\u{FE0F}", "\u{1F3FB}", "🙂", "[", "]", "{", "}", ",", "&", "+", "%"]

    static func sample(_ g: inout SeededGenerator) -> Sample {
        var s = Sample()
        var segments: [String] = []
        for _ in 0..<Int.random(in: 1...40, using: &g) {
            switch Int.random(in: 0..<4, using: &g) {
            case 0:
                let (text, part) = secret(&g)
                segments.append("see " + text + " here")
                s.secrets.append(part)
            case 1:
                let word = "keep" + alnum(8, &g, from: "abcdefghijklmnopqrstuvwxyz")
                segments.append(word)
                s.sentinels.append(word)
            case 2:
                let prefix = adversarial.randomElement(using: &g)!
                let run = alnum(Int.random(in: 0...300, using: &g), &g, from: Bool.random(using: &g) ? "a" : "ab1-_.")
                segments.append(prefix + run)
            default:
                segments.append(String((0..<Int.random(in: 0...60, using: &g)).map { _ in noise.randomElement(using: &g)! }))
            }
        }
        s.text = segments.joined(separator: "\n")
        return s
    }

    @Test func plantedSecretsGoneTextKeptWorkLinear() {
        var g = SeededGenerator(seed: 20261130)
        var planted = 0, worst = 0.0
        for _ in 0..<600 {
            let s = Self.sample(&g)
            let result = redactor.redactCounting(s.text, skipPreCheck: true)
            let out = result.text
            for secret in s.secrets {
                #expect(!out.contains(secret), "secret \(secret) survived in \(out.debugDescription)")
            }
            for word in s.sentinels {
                #expect(out.contains(word), "sentinel \(word) lost in \(out.debugDescription)")
            }
            #expect(!out.utf8.contains(0))
            #expect(!out.unicodeScalars.contains("\u{FFFD}"))
            // The pre-check never skips text the scanner changes.
            #expect(redactor.redact(s.text).text == out)
            let bytes = max(1, s.text.utf8.count)
            worst = max(worst, Double(result.steps) / Double(bytes))
            #expect(result.steps <= 20 * bytes + 20, "\(result.steps) steps for \(bytes) bytes")
            planted += s.secrets.count
        }
        #expect(planted > 1_000)
        #expect(worst > 1)  // the counter counts
    }

    /// Text without a secret comes back unchanged (modulo nothing: no NUL in it).
    @Test func textWithoutSecretsIsUnchanged() {
        var g = SeededGenerator(seed: 7)
        let safe: [Character] = ["a", "b", "Z", "0", "7", " ", "\n", ".", ",", "(", ")", "é", "日", "🙂", "\u{301}", "-", "/"]
        for _ in 0..<500 {
            let text = String((0..<Int.random(in: 0...400, using: &g)).map { _ in safe.randomElement(using: &g)! })
            #expect(redactor.redact(text).text == text)
        }
    }
}
