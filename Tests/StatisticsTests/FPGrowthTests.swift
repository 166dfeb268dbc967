import Foundation
import Primitives
import Testing
import TestSupport
@testable import Statistics

/// FP-Growth against the FIMI mushroom reference (mlxtend counts confirmed by Eclat), and
/// closed/maximal targets and rules against brute-force enumeration on small seeded data.
@Suite struct FPGrowthTests {
    static let itemsetsFolder = PackagePaths.shared.appendingPathComponent("refdata/itemsets")

    static func mushroom() throws -> (TransactionSet, [String: Any]) {
        let data = try Data(contentsOf: itemsetsFolder.appendingPathComponent("mushroom.dat"))
        let ref = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: itemsetsFolder.appendingPathComponent("mushroom_fpgrowth.json"))) as? [String: Any])
        return (try FIMIReader.parse(Array(data)), ref)
    }

    @Test func mushroomCountsMatchReferenceAtEveryLevel() throws {
        let (transactions, ref) = try Self.mushroom()
        #expect(transactions.count == ref["n_transactions"] as? Int)
        let levels = try #require(ref["levels"] as? [[String: Any]])
        #expect(levels.count == 3)
        for level in levels {
            let s = try #require(level["min_support"] as? Double)
            let found = try FPGrowth(minimumSupport: .fraction(s)).mine(transactions)
            #expect(found.minimumCount == level["min_count"] as? Int, "min count at \(s)")
            #expect(found.count == level["n_frequent_itemsets"] as? Int, "itemsets at \(s)")
            let byLength = try #require(level["by_length"] as? [String: Int])
            let expected = Dictionary(uniqueKeysWithValues: byLength.map { (Int($0.key) ?? -1, $0.value) })
            #expect(found.countsByLength == expected, "counts by length at \(s)")
        }
    }

    @Test func mushroomTop20MatchesReferenceInTieOrder() throws {
        let (transactions, ref) = try Self.mushroom()
        let top = try #require(ref["top20"] as? [String: Any])
        let expected = try #require(top["itemsets"] as? [[String: Any]])
        #expect(expected.count == 20)
        let found = try FPGrowth(minimumSupport: .fraction(0.3)).mine(transactions)
        let ranked = found.rankedIndices().prefix(20)
        for (index, reference) in zip(ranked, expected) {
            #expect(found[index].map(Int.init) == reference["items"] as? [Int])
            #expect(found.counts[index] == reference["count"] as? Int)
        }
    }

    @Test func minimumCountIsTheSmallestCountReachingTheFraction() throws {
        #expect(try MinimumSupport.fraction(0.3).minimumCount(transactionCount: 8124) == 2438)
        #expect(try MinimumSupport.fraction(0.01).minimumCount(transactionCount: 100_000) == 1000)
        #expect(try MinimumSupport.fraction(0.005).minimumCount(transactionCount: 100_000) == 500)
        #expect(try MinimumSupport.fraction(1).minimumCount(transactionCount: 7) == 7)
        #expect(try MinimumSupport.fraction(1e-9).minimumCount(transactionCount: 7) == 1)
        for bad in [0, -0.1, 1.5, .nan, .infinity] {
            #expect(throws: NumericsError.self) { try MinimumSupport.fraction(bad).minimumCount(transactionCount: 10) }
        }
        #expect(throws: NumericsError.self) { try MinimumSupport.count(0).minimumCount(transactionCount: 10) }
    }

    /// Random transactions over `itemCount` items; each item in with its own probability, so
    /// counts differ and ties both happen and not.
    static func randomTransactions(seed: UInt64, count: Int, itemCount: Int) throws -> TransactionSet {
        var rng = SplitMix64(seed: seed)
        let p = (0 ..< itemCount).map { _ in Double.random(in: 0.15 ... 0.8, using: &rng) }
        var rows: [[Int]] = []
        for _ in 0 ..< count {
            var row: [Int] = []
            for item in 0 ..< itemCount where Double.random(in: 0 ..< 1, using: &rng) < p[item] { row.append(item * 3 + 1) }
            // sometimes clone the previous row, so closed sets with equal counts appear
            if let last = rows.last, Double.random(in: 0 ..< 1, using: &rng) < 0.3 { row = last }
            rows.append(row)
        }
        return try TransactionSet(rows)
    }

    /// Brute force: the count of every non-empty subset of the items, by bitmask over rows.
    static func bruteForce(_ set: TransactionSet, itemCount: Int, minCount: Int) -> [[Int32]: Int] {
        let masks = (0 ..< set.count).map { t in set[t].reduce(0) { $0 | (1 << ((Int($1) - 1) / 3)) } }
        var result: [[Int32]: Int] = [:]
        for subset in 1 ..< (1 << itemCount) {
            let c = masks.reduce(0) { $0 + ($1 & subset == subset ? 1 : 0) }
            guard c >= minCount else { continue }
            result[(0 ..< itemCount).filter { subset & (1 << $0) != 0 }.map { Int32($0 * 3 + 1) }] = c
        }
        return result
    }

    static func asDictionary(_ f: FrequentItemsets) -> [[Int32]: Int] {
        var d: [[Int32]: Int] = [:]
        for i in 0 ..< f.count { d[Array(f[i])] = f.counts[i] }
        return d
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
    func allClosedAndMaximalMatchBruteForce(seed: UInt64) throws {
        let itemCount = 10
        let set = try Self.randomTransactions(seed: seed, count: 60 + Int(seed) * 7, itemCount: itemCount)
        let minCount = 3 + Int(seed) * 2
        let all = try FPGrowth(minimumSupport: .count(minCount)).mine(set)
        let expected = Self.bruteForce(set, itemCount: itemCount, minCount: minCount)
        #expect(all.count == expected.count)
        #expect(Self.asDictionary(all) == expected)

        // closed: no proper superset with the same count; maximal: no frequent proper superset
        func isSuperset(_ y: [Int32], of x: [Int32]) -> Bool { y.count > x.count && Set(x).isSubset(of: Set(y)) }
        let closed = expected.filter { x in !expected.contains { isSuperset($0.key, of: x.key) && $0.value == x.value } }
        let maximal = expected.filter { x in !expected.contains { isSuperset($0.key, of: x.key) } }
        #expect(Self.asDictionary(all.selecting(.closed)) == closed)
        #expect(Self.asDictionary(all.selecting(.maximal)) == maximal)
        #expect(maximal.count < expected.count)   // the targets select something

        // a length limit cuts the same sets
        let short = try FPGrowth(minimumSupport: .count(minCount), maxLength: 2).mine(set)
        #expect(Self.asDictionary(short) == expected.filter { $0.key.count <= 2 })
    }

    @Test func singlePathAndDuplicateTransactions() throws {
        // one path a ⊃ b ⊃ c with counts 4, 3, 2: every combination, counted by its deepest node
        let set = try TransactionSet([[7, 8, 9], [7, 8, 9], [7, 8], [7], [], [9, 9, 8, 7]])
        let found = try FPGrowth(minimumSupport: .count(2)).mine(set)
        #expect(Self.asDictionary(found) == [[7]: 5, [8]: 4, [9]: 3, [7, 8]: 4, [7, 9]: 3, [8, 9]: 3, [7, 8, 9]: 3])
        #expect(found.transactionCount == 6)
        #expect(try FPGrowth(minimumSupport: .count(7)).mine(set).count == 0)
    }

    @Test func rulesOnAHandCheckedExample() throws {
        // 5 transactions: bread 1, milk 2, butter 3
        let set = try TransactionSet([[1, 2], [1, 3], [1, 2, 3], [2], [1, 2]])
        let found = try FPGrowth(minimumSupport: .count(2)).mine(set)
        // counts: {1}:4 {2}:4 {3}:2 {1,2}:3 {1,3}:2; {2,3}:1 and {1,2,3}:1 are not frequent
        #expect(Self.asDictionary(found) == [[1]: 4, [2]: 4, [3]: 2, [1, 2]: 3, [1, 3]: 2])
        let rules = try found.associationRules(minConfidence: 0.7)
        // 1→2: 3/4 = 0.75, lift 0.75/(4/5) = 0.9375; 2→1 the same; 3→1: 2/2 = 1, lift 1/(4/5) = 1.25;
        // 1→3: 2/4 = 0.5 is below 0.7
        let byName = Dictionary(uniqueKeysWithValues: rules.map { ("\($0.antecedent)->\($0.consequent)", $0) })
        #expect(Set(byName.keys) == ["[1]->[2]", "[2]->[1]", "[3]->[1]"])
        let r12 = try #require(byName["[1]->[2]"])
        #expect(r12.count == 3 && r12.support == 0.6 && r12.confidence == 0.75 && abs(r12.lift - 0.9375) < 1e-15)
        #expect(r12.antecedentSupport == 0.8 && r12.consequentSupport == 0.8)
        let r31 = try #require(byName["[3]->[1]"])
        #expect(r31.confidence == 1 && abs(r31.lift - 1.25) < 1e-15 && r31.support == 0.4)
        #expect(try found.associationRules(minConfidence: 0).count == 4)
        #expect(throws: NumericsError.self) { try found.associationRules(minConfidence: 1.5) }
    }
}
