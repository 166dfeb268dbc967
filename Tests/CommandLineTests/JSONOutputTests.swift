import Foundation
import Testing
@testable import AILCommandLine

/// The one JSON writer of the commands: sorted keys, slashes as they are, non-finite numbers as
/// null, compact or pretty.
@Suite struct JSONOutputTests {
    @Test func dictionariesAreSortedWithSlashesKeptAndNonFiniteAsNull() throws {
        let object: [String: Any] = ["z": 1, "a": ["path": "a/b", "se": Double.nan, "f": [Double.infinity, 2.5]]]
        #expect(try JSONOutput.text(object, pretty: false) == #"{"a":{"f":[null,2.5],"path":"a/b","se":null},"z":1}"#)
        #expect(try JSONOutput.text(["k": "v"], pretty: true).contains("\n"))
    }

    @Test func codableValuesUseTheSameKeyOrderAndSlashes() throws {
        struct Report: Encodable { let zeta = 1; let alpha = "x/y" }
        #expect(try JSONOutput.text(Report()) == "{\n  \"alpha\" : \"x/y\",\n  \"zeta\" : 1\n}")
    }
}
