import Foundation
import Testing
@testable import Statistics

/// PrefixSpan on small databases enumerated by hand, and the contrast tester's tables.
@Suite struct SequentialAndContrastTests {
    let a: Int32 = 0, b: Int32 = 1, c: Int32 = 2

    @Test func prefixSpanHandDatabase() throws {
        // 0: a b c   1: a c   2: b a c   3: c     (min count 2)
        // singles a{0,1,2} b{0,2} c{0,1,2,3}; <a c>{0,1,2}; <b c>{0,2}; <a b>{0} and <b a>{2} too rare;
        // no frequent pattern of length 3 (<b a c> and <a b c> are in one sequence each).
        let db: [[Int32]] = [[a, b, c], [a, c], [b, a, c], [c]]
        let found = try PrefixSpan(minimumSupport: .count(2), maxLength: 3).mine(db)
        #expect(found == [
            SequentialPattern(items: [a], sequences: [0, 1, 2]),
            SequentialPattern(items: [a, c], sequences: [0, 1, 2]),
            SequentialPattern(items: [b], sequences: [0, 2]),
            SequentialPattern(items: [b, c], sequences: [0, 2]),
            SequentialPattern(items: [c], sequences: [0, 1, 2, 3]),
        ])
        // max length 1: the singles only
        #expect(try PrefixSpan(minimumSupport: .count(2), maxLength: 1).mine(db).map(\.items) == [[a], [b], [c]])
    }

    @Test func prefixSpanRepeatsCountOncePerSequence() throws {
        // <a a> needs two a's: in 0 and 2, not 1; <a b> only in 2. A sequence with a many times counts once.
        let db: [[Int32]] = [[a, a], [a], [a, b, a], [a, a, a, a]]
        let found = try PrefixSpan(minimumSupport: .count(2), maxLength: 4).mine(db)
        #expect(found == [
            SequentialPattern(items: [a], sequences: [0, 1, 2, 3]),
            SequentialPattern(items: [a, a], sequences: [0, 2, 3]),
        ])
        #expect(throws: NumericsError.self) { try PrefixSpan(minimumSupport: .count(2), maxLength: 0).mine(db) }
    }

    @Test func contrastTableAndProductivity() throws {
        // 10 units; the pattern covers 0...4; the outcome holds for 0...3 and 9.
        // Table [[4, 1], [1, 4]]: p = 52/252 (hand: 1, 25, 100, 100, 25, 1 over 252), difference 0.8 − 0.2.
        let outcome = UnitBitset(count: 10, indices: [0, 1, 2, 3, 9])
        let cover = UnitBitset(count: 10, indices: 0 ... 4)
        let tester = ContrastTester(outcome: outcome, minimumGroup: 5)
        let s = try #require(try tester.test(cover: cover))
        #expect(s.unitsWith == 5 && s.positivesWith == 4 && s.unitsWithout == 5 && s.positivesWithout == 1)
        #expect(abs(s.pValue - 52.0 / 252.0) < 1e-14)
        #expect(abs(s.difference - 0.6) < 1e-15)
        #expect(s.differenceLow < 0.6 && s.differenceHigh > 0.6)
        #expect(abs(s.logOddsRatio - log(16)) < 1e-14)
        // A generalisation covering 0...5 and 9: within it the pattern's units (4 of 5) against
        // units 5 and 9 (1 of 2): [[4, 1], [1, 1]], p = 1 (10/21, 10/21, 1/21 all as extreme).
        let general = UnitBitset(count: 10, indices: [0, 1, 2, 3, 4, 5, 9])
        let productive = try #require(try tester.test(cover: cover, generalisations: [general]))
        #expect(abs(productive.pValue - 1) < 1e-12)
        #expect(abs(productive.pValueVersusRest - 52.0 / 252.0) < 1e-14)
        // Too few units on one side: not tested.
        #expect(try tester.test(cover: UnitBitset(count: 10, indices: 0 ... 3)) == nil)
    }

    @Test func bitsetCountsAndFullSet() {
        let full = UnitBitset(count: 130, full: true)
        #expect(full.cardinality == 130)
        let some = UnitBitset(count: 130, indices: [0, 63, 64, 129])
        #expect(some.cardinality == 4 && some.contains(129) && !some.contains(128))
        #expect(full.intersectionCount(some) == 4)
        #expect(some.intersection(UnitBitset(count: 130, indices: [63, 64, 100])).cardinality == 2)
    }
}
