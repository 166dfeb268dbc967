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
        ("Authorization: Bearer abcDEF0123456789xyz==", "Authorization: Bearer [REDACTED:bearer_token]", .bearerToken),
        // A JWT after Bearer is reported as the more specific kind.
        ("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc", "Authorization: Bearer [REDACTED:jwt]", .jwt),
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
        ("could not connect to postgres://ci:hunter2@db.internal:5432/app", "could not connect to postgres://ci:[REDACTED:url_password]@db.internal:5432/app", .urlPassword),
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

    /// Every GitHub token prefix, and a token longer than 255 characters (the old pattern's cap let it through).
    @Test(arguments: ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"])
    func everyGitHubPrefix(prefix: String) {
        let body = "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
        #expect(redactor.redact("push with \(prefix)\(body) now") == ("push with [REDACTED:github_token] now", [.githubToken]))
        let long = prefix + String(repeating: body, count: 10)
        #expect(redactor.redact("t=\(long).").text == "t=[REDACTED:github_token].")
        // Too short to be a token, or glued to a word: kept.
        #expect(redactor.redact("\(prefix)abc and x\(prefix)\(body)").kinds.isEmpty)
    }

    @Test(arguments: [
        ("slack xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOp done", "slack [REDACTED:slack_token] done", SecretRedactor.Kind.slackToken),
        ("key=AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q&x", "key=[REDACTED:google_api_key]&x", .googleAPIKey),
        ("jwt eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c ok",
         "jwt [REDACTED:jwt] ok", .jwt),
        ("host=db.internal port=5432 user=app password=s3cr3t-Pa55 dbname=ail", "host=db.internal port=5432 user=app password=[REDACTED:secret_value] dbname=ail", .secretValue),
        ("host=db password='with space\\' quote' dbname=x", "host=db password='[REDACTED:secret_value]' dbname=x", .secretValue),
        ("PGPASSWORD=hunter2 psql", "PGPASSWORD=[REDACTED:secret_value] psql", .secretValue),
        ("export DB_PASSWORD=123456", "export DB_PASSWORD=[REDACTED:secret_value]", .secretValue),
        ("--api-key=abc.def_ghi", "--api-key=[REDACTED:secret_value]", .secretValue),
        ("https://x.test/cb?state=1&access_token=tok3n-value&y=2", "https://x.test/cb?state=1&access_token=[REDACTED:secret_value]&y=2", .secretValue),
        (#"{"clientSecret": "shh-its-a-secret", "n": 1"#, #"{"clientSecret": "[REDACTED:secret_value]", "n": 1"#, .secretValue),
        ("config: password: hunter2", "config: password: [REDACTED:secret_value]", .secretValue),
        ("AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "AWS_SECRET_ACCESS_KEY=[REDACTED:aws_secret_key]", .awsSecretKey),
    ])
    func newKindsInFreeText(input: String, expected: String, kind: SecretRedactor.Kind) {
        let result = redactor.redact(input)
        #expect(result.text == expected)
        #expect(result.kinds == [kind])
    }

    /// Keys name a secret by whole segments (camelCase, snake_case, kebab-case, dots split);
    /// counts and descriptions of a secret do not.
    @Test func secretNamedKeys() {
        for key in ["password", "passwd", "PASSWORD", "db.password", "DB_PASSWORD", "dbPassword", "PGPASSWORD", "pwd",
                    "secret", "client_secret", "AWS_SECRET_ACCESS_KEY", "awsSecretAccessKey", "token", "access_token",
                    "X-Auth-Token", "api_key", "apikey", "apiKey", "APIKey", "x-api-key", "access_key", "accessKey",
                    "private_key", "PRIVATE-KEY", "credential", "credentials", "Authorization", "cookie", "password2"] {
            #expect(SecretKeyName.isSecret(key), "\(key)")
        }
        for key in ["tokens_in", "tokens_out", "max_tokens", "maxTokens", "tokenizer", "token_count", "token_type",
                    "password_length", "secret_name", "secretary", "keyboard", "monkey", "key", "passage", "bypass",
                    "author", "compass", "developer", ""] {
            #expect(!SecretKeyName.isSecret(key), "\(key)")
        }
        #expect(SecretKeyName.segments(of: "myAPIKey2.x-y") == ["my", "api", "key", "2", "x", "y"])
    }

    /// In JSON: values under secret-named keys (strings at any depth; numbers, booleans and null
    /// kept), secrets used as keys, and the counts that merely contain "token" untouched.
    @Test func jsonValuesAndKeys() throws {
        let json = JSONText(#"""
            {"env":{"AWS_SECRET_ACCESS_KEY":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY","password":"hunter2","token":12345,
            "apiKey":true,"secret":null,"credentials":{"user":"bob","list":["a",7]}},"usage":{"tokens_in":120,"max_tokens":"4096"},
            "AKIAIOSFODNN7EXAMPLE":"id as key","ghp_abcdefghijklmnopqrstuvwxyz0123456789":1,"AKIAIOSFODNN7EXAMPLF":2,
            "dsn":"host=db password=pw1 user=x","empty":{"password":""}}
            """#)
        let out = try JSONReader.parse(redactor.redactJSON(json).text)
        let expected = try JSONReader.parse(#"""
            {"env":{"AWS_SECRET_ACCESS_KEY":"[REDACTED:aws_secret_key]","password":"[REDACTED:secret_value]","token":12345,
            "apiKey":true,"secret":null,"credentials":{"user":"[REDACTED:secret_value]","list":["[REDACTED:secret_value]",7]}},
            "usage":{"tokens_in":120,"max_tokens":"4096"},
            "[REDACTED:aws_access_key]":"id as key","[REDACTED:github_token]":1,"[REDACTED:aws_access_key]#2":2,
            "dsn":"host=db password=[REDACTED:secret_value] user=x","empty":{"password":""}}
            """#)
        #expect(out == expected, "\(out.jsonText)")
    }

    /// NUL is dropped whatever follows it (a combining mark, a variation selector, an emoji
    /// modifier make one grapheme cluster with it), in text that holds a secret or not.
    @Test func nulIsDroppedWhateverFollows() {
        for tail in ["\u{301}", "\u{FE0F}", "\u{1F3FB}", "", "x"] {
            let text = "a\u{0}\(tail)b \u{0}\(tail)"
            let out = redactor.redact(text).text
            #expect(!out.utf8.contains(0), "\(Array(out.unicodeScalars))")
            #expect(out == "a\(tail)b \(tail)")
        }
    }

    /// Work is linear in the length of the text for inputs that were quadratic with regular
    /// expressions: the scanner's step count for 8 times the input is at most 8.5 times as large,
    /// and at most 20 steps per byte.
    @Test(arguments: ["@", "x@", "sk-", "sk-a", "a@b.", "ghp_", "xoxb-", "eyJ.", "eyJa.eyJb.", "AIza", "://a:", "://:b@",
                      "bearer ", "password=", "\"password\":\"", "-----BEGIN ", "-----BEGIN PRIVATE KEY-----", "a-", "=", " "])
    func linearWork(unit: String) {
        func steps(_ copies: Int) -> (steps: Int, bytes: Int) {
            let text = unit + String(repeating: "a1", count: copies) + String(repeating: unit, count: copies / unit.utf8.count)
            return (redactor.redactCounting(text, skipPreCheck: true).steps, text.utf8.count)
        }
        let small = steps(4_000), large = steps(32_000)
        #expect(Double(large.steps) <= 8.5 * Double(small.steps), "\(small) \(large)")
        #expect(large.steps <= 20 * large.bytes, "\(large)")
    }

    @Test func jsonStaysValid() throws {
        let json = JSONText(#"{"env":{"AUTH":"Bearer abcdefgh12345678"},"who":["x\ny@example.com"]}"#)
        let out = redactor.redactJSON(json)
        #expect(out.text == #"{"env":{"AUTH":"Bearer [REDACTED:bearer_token]"},"who":["x\n[REDACTED:email]"]}"#)
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

    /// A new key is random: two fresh data folders give different keys and different pseudonyms.
    @Test func freshKeysDiffer() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("ail-keys-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let one = base.appendingPathComponent("one"), two = base.appendingPathComponent("two")
        let a = try Pseudonymizer(dataFolder: one, environment: [:]), b = try Pseudonymizer(dataFolder: two, environment: [:])
        #expect(a.pseudonym(for: "ada") != b.pseudonym(for: "ada"))
        let keys = try [one, two].map { try String(contentsOf: $0.appendingPathComponent("pseudonym.key"), encoding: .utf8) }
        #expect(keys[0] != keys[1])
        for key in keys {
            let hex = key.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(hex.count == 64 && hex.allSatisfy(\.isHexDigit))
            #expect(Set(hex).count > 4)  // not a constant or a short cycle
        }
    }

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
