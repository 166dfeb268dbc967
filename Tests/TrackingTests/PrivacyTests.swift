import Foundation
import Testing
@testable import Tracking

@Suite struct SecretRedactorTests {
    let redactor = SecretRedactor()

    @Test(arguments: [
        ("key AKIAIOSFODNN7EXAMPLE in config", "key [REDACTED:aws_access_key] in config", SecretRedactor.Kind.awsAccessKey),
        ("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "aws_secret_access_key = [REDACTED:aws_secret_key]", .awsSecretKey),
        ("token ghp_abcdefghijklmnopqrstuvwxyz0123456789 leaked", "token [REDACTED:github_token] leaked", .githubToken),
        ("pat github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuv", "pat [REDACTED:github_token]", .githubToken),
        ("OPENAI_API_KEY=sk-proj-abcDEF1234567890abcdef1234", "OPENAI_API_KEY=[REDACTED:openai_api_key]", .openAIAPIKey),
        ("sk-ant-api03-abcdefghijklmnopqrstuvwxyz012345 is the key", "[REDACTED:anthropic_api_key] is the key", .anthropicAPIKey),
        ("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc", "Authorization: Bearer [REDACTED:bearer_token]", .bearerToken),
        ("-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\nrest", "[REDACTED:private_key]\nrest", .privateKey),
        ("connect postgres://app:s3cr3t!@db.internal:5432/x failed", "connect postgres://app:[REDACTED:url_password]@db.internal:5432/x failed", .urlPassword),
        ("ask ada.lovelace+ai@example.co.uk please", "ask [REDACTED:email] please", .email),
    ])
    func redactsEachKind(input: String, expected: String, kind: SecretRedactor.Kind) {
        let result = redactor.redact(input)
        #expect(result.text == expected)
        #expect(result.kinds == [kind])
    }

    @Test(arguments: [
        ("connect redis://:s3cretpassw0rd@cache:6379/0", "connect redis://:[REDACTED:url_password]@cache:6379/0", SecretRedactor.Kind.urlPassword),
        ("postgres://user:p@ss@host/db", "postgres://user:[REDACTED:url_password]@host/db", .urlPassword),
        ("curl -H 'Authorization: Bearer abcdefghijklmnop1234'", "curl -H 'Authorization: Bearer [REDACTED:bearer_token]'", .bearerToken),
        ("key sk-abcdefghij0123456789xyz here", "key [REDACTED:openai_api_key] here", .openAIAPIKey),
        ("sk-proj-abcdefghijklmnopqrstuvwxyz", "[REDACTED:openai_api_key]", .openAIAPIKey),
    ])
    func realShapesAreCaught(input: String, expected: String, kind: SecretRedactor.Kind) {
        let result = redactor.redact(input)
        #expect(result.text == expected)
        #expect(result.kinds == [kind])
    }

    @Test func proseThatLooksLikeASecretIsUntouched() {
        for text in [
            "we use bearer authentication",
            "Bearer tokens are checked by the gateway; the bearer authenticationflow is documented",
            "sk-learn-compatible-estimators and sk-learn-pipelines-are-great",
            "see https://example.com:8443/docs@v2 and ssh://host:22",
            "mailto a@b and user@localhost",
        ] {
            let result = redactor.redact(text)
            #expect(result.text == text)
            #expect(result.kinds.isEmpty)
        }
    }

    @Test func ordinaryTextIsUntouched() {
        let texts = [
            "grep found 3 matches in Sources/Tracking because the pattern was broad",
            "Excellent assistance",
            "the ask-user flow: begin; number of tasks=12, risk-free, gh repo view",
            "Asian markets; AKIA is not a key; sk-short; Bearer",
            "Error: file not found (errno 2) at /usr/lib/x.so",
            "",
        ]
        for text in texts {
            let result = redactor.redact(text)
            #expect(result.text == text)
            #expect(result.kinds.isEmpty)
        }
        #expect(!SecretRedactor.mayContainSecret("plain words, numbers 42 and paths a/b/c"))
    }

    @Test func jsonStaysValid() throws {
        let json = JSONText(#"{"env":{"TOKEN":"Bearer abcdefgh12345678"},"who":["x\ny@example.com"]}"#)
        let out = redactor.redactJSON(json)
        #expect(out.text == #"{"env":{"TOKEN":"Bearer [REDACTED:bearer_token]"},"who":["x\n[REDACTED:email]"]}"#)
        _ = try JSONReader.parse(out.text)
    }
}

@Suite struct PseudonymizerTests {
    @Test func keyedAndStable() {
        let a = Pseudonymizer(key: Data("key-one".utf8))
        let b = Pseudonymizer(key: Data("key-two".utf8))
        let p = a.pseudonym(for: "ada")
        #expect(p.hasPrefix("dev_") && p.count == 36)
        #expect(a.pseudonym(for: " ada ") == p)
        #expect(b.pseudonym(for: "ada") != p)
        #expect(a.pseudonym(for: "bob") != p)
        // HMAC-SHA256("key-one", "ada"), first 16 bytes, computed with Python's hmac module.
        #expect(p == "dev_" + PseudonymizerTests.reference)
    }
    static let reference = "e70699b2acd84f951ffde5f632a8ca25"

    @Test func keyFileCreatedOnceWithPrivatePermissions() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ail-key-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try Pseudonymizer(dataFolder: folder, environment: [:])
        let second = try Pseudonymizer(dataFolder: folder, environment: [:])
        #expect(first.pseudonym(for: "ada") == second.pseudonym(for: "ada"))
        let attributes = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent("pseudonym.key").path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let fromEnv = try Pseudonymizer(dataFolder: folder, environment: ["AIL_PSEUDONYM_KEY": "key-one"])
        #expect(fromEnv.pseudonym(for: "ada") == Pseudonymizer(key: Data("key-one".utf8)).pseudonym(for: "ada"))
    }
}
