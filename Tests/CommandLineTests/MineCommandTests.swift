import ArgumentParser
import Foundation
import Testing
import TestSupport
@testable import AILCommandLine
@testable import Statistics

/// `ail mine itemsets` end to end on mushroom.dat: closed and maximal itemsets checked by
/// scanning the transactions directly (the closure of a closed set is itself; a maximal set has
/// no frequent one-item extension), options refused with the field named.
@Suite struct MineCommandTests {
    static let mushroom = PackagePaths.shared.appendingPathComponent("refdata/itemsets/mushroom.dat").path

    static func report(_ arguments: [String]) throws -> MineReport {
        let command = try AIL.parseAsRoot(["mine", "itemsets"] + arguments)
        return try #require(command as? MineItemsets).report()
    }

    /// The transactions as item sets, read independently of FIMIReader.
    static func rows() throws -> [Set<Int>] {
        try String(contentsOfFile: mushroom, encoding: .utf8).split(separator: "\n")
            .map { Set($0.split(separator: " ").compactMap { Int($0) }) }
    }

    @Test func closedItemsetsAreTheirOwnClosureOnMushroom() throws {
        let rows = try Self.rows()
        let closed = try Self.report(["--data", Self.mushroom, "--min-support", "0.5", "--target", "closed"]).itemsets
        let all = try Self.report(["--data", Self.mushroom, "--min-support", "0.5"]).itemsets
        #expect(all.count == 153)
        #expect(closed.count > 0 && closed.count < all.count)
        for i in 0 ..< closed.count {
            let x = Set(closed[i].map(Int.init))
            let covering = rows.filter { x.isSubset(of: $0) }
            #expect(covering.count == closed.counts[i])
            let closure = covering.dropFirst().reduce(covering.first ?? []) { $0.intersection($1) }
            #expect(closure == x, "closure of \(x.sorted()) is \(closure.sorted())")
        }
        // every frequent itemset's count is that of its smallest closed superset
        for i in 0 ..< all.count {
            let x = Set(all[i].map(Int.init))
            let best = (0 ..< closed.count).filter { x.isSubset(of: Set(closed[$0].map(Int.init))) }.map { closed.counts[$0] }.max()
            #expect(best == all.counts[i])
        }
    }

    @Test func maximalItemsetsHaveNoFrequentExtensionOnMushroom() throws {
        let rows = try Self.rows()
        let maximal = try Self.report(["--data", Self.mushroom, "--min-support", "0.5", "--target", "maximal"]).itemsets
        let items = Set(rows.flatMap { $0 })
        #expect(maximal.count > 0)
        for i in 0 ..< maximal.count {
            let x = Set(maximal[i].map(Int.init))
            let covering = rows.filter { x.isSubset(of: $0) }
            #expect(covering.count >= 4062)
            for y in items.subtracting(x) {
                #expect(covering.reduce(0) { $0 + ($1.contains(y) ? 1 : 0) } < 4062, "\(x.sorted()) + \(y) is frequent")
            }
        }
    }

    @Test func lengthFiltersAndJSON() throws {
        let r = try Self.report(["--data", Self.mushroom, "--min-support", "0.3", "--min-length", "3", "--max-length", "4", "--format", "json"])
        #expect(r.itemsets.countsByLength == [3: 455, 4: 725])
        let data = try JSONEncoder().encode(r.json(top: 2))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["n_itemsets"] as? Int == 1180)
        #expect((json["itemsets"] as? [Any])?.count == 2)
        #expect(json["min_support"] as? Double == 0.3)
        #expect(r.text(top: 3).contains("     3  455"))
    }

    @Test(arguments: [
        (["--min-support", "0"], "--min-support"),
        (["--min-support", "1.01"], "--min-support"),
        (["--min-support", "0.3", "--min-count", "3"], "exactly one"),
        ([], "exactly one"),
        (["--min-count", "0"], "--min-count"),
        (["--min-support", "0.3", "--target", "open"], "--target"),
        (["--min-support", "0.3", "--min-length", "3", "--max-length", "2"], "--max-length"),
        (["--min-support", "0.3", "--rules", "--min-confidence", "2"], "--min-confidence"),
    ])
    func refusedOptionsNameTheField(arguments: [String], field: String) throws {
        do {
            _ = try AIL.parseAsRoot(["mine", "itemsets", "--data", Self.mushroom] + arguments)
            Issue.record("accepted \(arguments)")
        } catch {
            #expect(AIL.exitCode(for: error).rawValue == 64)
            #expect(AIL.message(for: error).contains(field), "\(AIL.message(for: error))")
        }
    }
}
