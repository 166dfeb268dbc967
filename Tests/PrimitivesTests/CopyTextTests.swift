import Testing
import Primitives

@Suite struct CopyTextTests {
    @Test func escapesBackslashTabNewlineAndCarriageReturn() {
        #expect(CopyText.escaped("a\\b\tc\nd\re") == #"a\\b\tc\nd\re"#)
        #expect(CopyText.escaped(#"\N"#) == #"\\N"#)  // a literal backslash-N is not NULL
        #expect(CopyText.escaped("é\t€") == "é\\t€")
        #expect(CopyText.escaped("plain, \"quoted\"") == "plain, \"quoted\"")
        #expect(CopyText.null == #"\N"#)
    }

    @Test func byteFormAgreesWithTheStringForm() {
        var out: [UInt8] = [0x78]
        CopyText.escape("\r\n\\".utf8, into: &out)
        #expect(out == Array(#"x\r\n\\"#.utf8))
    }
}
