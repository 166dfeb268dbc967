import Testing
import Primitives

@Suite struct JSONNumberTests {
    @Test func validForms() throws {
        for text in ["0", "-0", "12", "1.5", "0.25", "1e5", "1E+5", "-1.25e-3", "12345678901234567890"] {
            #expect(JSONNumber.whole(text) != nil, "\(text)")
        }
        let t = try #require(JSONNumber.whole("1.500e-3"))
        #expect(t.fractionDigits == 3 && !t.fractionIsZero && t.hasExponent && t.exponent == -3)
        let z = try #require(JSONNumber.whole("-2.000"))
        #expect(z.fractionDigits == 3 && z.fractionIsZero && !z.hasExponent)
    }

    @Test func invalidForms() {
        for text in ["", "-", "01", "1.", ".5", "+5", "1e", "1e+", "0x10", "Infinity", "NaN", "1.5.2", " 1", "1 ", "--1"] {
            #expect(JSONNumber.whole(text) == nil, "\(text)")
        }
    }

    @Test func scanStopsAtTheTokenEndAndReportsWhereItBroke() throws {
        #expect(try JSONNumber.scan(Array("12,".utf8), from: 0).end == 2)
        #expect(try JSONNumber.scan(Array("01".utf8), from: 0).end == 1)
        #expect(try JSONNumber.scan(Array("[-3]".utf8), from: 1).end == 3)
        #expect(throws: JSONNumber.Malformed(offset: 1)) { try JSONNumber.scan(Array("-".utf8), from: 0) }
        #expect(throws: JSONNumber.Malformed(offset: 2)) { try JSONNumber.scan(Array("1.x".utf8), from: 0) }
        #expect(throws: JSONNumber.Malformed(offset: 3)) { try JSONNumber.scan(Array("1e+".utf8), from: 0) }
        #expect(throws: JSONNumber.Malformed(offset: 1)) { try JSONNumber.scan(Array("-x".utf8), from: 0) }
    }
}
