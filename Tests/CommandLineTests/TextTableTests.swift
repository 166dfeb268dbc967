import Foundation
import Testing
@testable import AILCommandLine

/// Text tables size their columns to their contents: a value is never cut (a p-value of
/// 2.77e-176 cut to a fixed width read 2.77e-17) and neighbouring cells never run together.
@Suite struct TextTableTests {
    @Test func longValuesAreKeptWholeAndColumnsAligned() {
        var table = TextTable(["term", "conf.low", "p.value"])
        table.append(["weekday[Thu]", String(format: "%.6g", -0.00739792), String(format: "%.6g", 2.7726779941020912e-176)])
        table.append(["x", "1", "0.5"])
        let lines = table.lines
        #expect(lines == ["term             conf.low       p.value",
                          "weekday[Thu]  -0.00739792  2.77268e-176",
                          "x                       1           0.5"])
        // every number can be read back from its line
        let cells = lines[1].split(separator: " ").map(String.init)
        #expect(Double(cells[1]) == -0.00739792 && Double(cells[2]) == 2.77268e-176)
    }

    @Test func leftAlignedColumnsAndMissingCells() {
        var table = TextTable(["NAME", "STATUS", "NOTE"], numeric: [])
        table.append(["nightly-ingest", "ok"])
        table.append(["a", "failed", "exit 69"])
        #expect(table.text == "NAME            STATUS  NOTE\nnightly-ingest  ok\na               failed  exit 69")
    }
}
