import Testing
@testable import Analytics

/// Masks and Drain-style merging, each expected template written out by hand.
@Suite struct ErrorMaskingTests {
    @Test(arguments: [
        ("operation timed out after 5231 ms", "operation timed out after <NUM> ms"),
        ("no such file or directory: Sources/Missing.swift", "no such file or directory: <PATH>"),
        ("permission denied while running bash", "permission denied while running bash"),
        ("could not connect to postgres://ci:hunter2@db.internal:5432/app", "could not connect to <URL>"),
        ("request 3f2a9c1e-4b5d-4e6f-8a9b-0c1d2e3f4a5b failed with status 503", "request <UUID> failed with status <NUM>"),
        ("segfault at 0x7ffd3a2b in libfoo", "segfault at <HEX> in libfoo"),
        ("commit deadbeef1234 not found", "commit <HEX> not found"),
        ("can't open 'config.yaml': denied", "can't open <STR>: denied"),
        ("key \"api_token\" missing", "key <STR> missing"),
        ("connection to 10.0.0.12:8080 refused", "connection to <IP> refused"),
        ("worker node7 exceeded 1.5GB (75%)", "worker <ID> exceeded <NUM> (<NUM>)"),
        ("cannot write file /var/log/app.log.", "cannot write file <PATH>."),
        ("req-4821 timed out", "<ID> timed out"),
        ("retry   in\t-3 s", "retry in <NUM> s"),
        ("version 1.2.3 and 12345678 rows", "version <NUM> and <NUM> rows"),
    ])
    func masks(_ message: String, _ template: String) {
        #expect(ErrorMasking.mask(message) == template)
    }

    @Test func drainMergesSameShapeAndKeepsDissimilarApart() {
        var miner = ErrorTemplateMiner(similarityThreshold: 0.5)
        let bash = miner.add("permission denied while running bash")
        let grep = miner.add("permission denied while running grep")
        #expect(bash == grep)
        #expect(miner.templates[bash] == "permission denied while running <*>")
        // masked to the same text: the same template, not merged further
        let t1 = miner.add("operation timed out after 5 ms")
        let t2 = miner.add("operation timed out after 70 ms")
        #expect(t1 == t2 && miner.templates[t1] == "operation timed out after <NUM> ms")
        // same length and first token, 1 of 4 positions equal (0.25 < 0.5): a new template
        let a = miner.add("disk full on node")
        let b = miner.add("disk quota on user")
        #expect(a == b && miner.templates[a] == "disk <*> on <*>")   // 2 of 4 equal: 0.5, merged
        let c = miner.add("disk x y z")
        #expect(c != a)
        // another token count: another bucket
        #expect(miner.add("permission denied") != bash)
        #expect(miner.templates.count == 5)
    }
}
