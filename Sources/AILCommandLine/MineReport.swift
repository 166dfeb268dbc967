import Foundation
import Statistics

/// What `ail mine itemsets` found, rendered as text or as JSON (mlxtend's column names:
/// `support`, `itemsets`; rules with `antecedents`-style fields, `confidence`, `lift`).
struct MineReport {
    let file: String
    let transactions: TransactionSet
    let itemsets: FrequentItemsets
    let target: ItemsetTarget
    /// The --min-support asked for (nil with --min-count).
    let minSupport: Double?
    let rules: [AssociationRule]?
    let miningSeconds: Double

    struct ItemsetRow: Encodable {
        let items: [Int32]
        let count: Int
        let support: Double
    }

    struct RuleRow: Encodable {
        let antecedent: [Int32]
        let consequent: [Int32]
        let count: Int
        let support: Double
        let antecedent_support: Double
        let consequent_support: Double
        let confidence: Double
        let lift: Double
    }

    struct JSONReport: Encodable {
        let file: String
        let transactions: Int
        let min_count: Int
        let min_support: Double?
        let target: String
        let n_itemsets: Int
        let by_length: [String: Int]
        let itemsets: [ItemsetRow]
        let n_rules: Int?
        let rules: [RuleRow]?
        let mining_seconds: Double
    }

    var ranked: [Int] { itemsets.rankedIndices() }

    func row(_ i: Int) -> ItemsetRow {
        ItemsetRow(items: Array(itemsets[i]), count: itemsets.counts[i], support: itemsets.support(i))
    }

    static func row(_ r: AssociationRule) -> RuleRow {
        RuleRow(antecedent: r.antecedent, consequent: r.consequent, count: r.count, support: r.support,
                antecedent_support: r.antecedentSupport, consequent_support: r.consequentSupport,
                confidence: r.confidence, lift: r.lift)
    }

    /// The JSON document: every itemset (and rule) in report order, or the first `top`.
    func json(top: Int?) -> JSONReport {
        let limit = top ?? Int.max
        return JSONReport(
            file: file, transactions: transactions.count, min_count: itemsets.minimumCount,
            min_support: minSupport, target: target.rawValue, n_itemsets: itemsets.count,
            by_length: Dictionary(uniqueKeysWithValues: itemsets.countsByLength.map { (String($0.key), $0.value) }),
            itemsets: ranked.prefix(limit).map(row), n_rules: rules?.count,
            rules: rules.map { $0.prefix(limit).map(Self.row) }, mining_seconds: miningSeconds)
    }

    /// Counts by length, then the first `top` itemsets (and rules) in report order.
    func text(top: Int) -> String {
        let n = itemsets.transactionCount
        var lines = [
            "\(file): \(n) transactions, \(Set(transactions.items).count) distinct items",
            "min count \(itemsets.minimumCount)" + (minSupport.map { " (support >= \($0))" } ?? "") + ", target \(target.rawValue): \(itemsets.count) itemsets",
            "",
            "length  itemsets",
        ]
        for (length, count) in itemsets.countsByLength.sorted(by: { $0.key < $1.key }) {
            lines.append(pad(String(length), 6) + "  " + String(count))
        }
        let order = ranked.prefix(top)
        if !order.isEmpty {
            lines += ["", "top \(order.count) by support:", "support   count  items"]
            for i in order {
                lines.append(pad(Self.number(itemsets.support(i)), 8) + pad(String(itemsets.counts[i]), 7) + "  " +
                             itemsets[i].map(String.init).joined(separator: " "))
            }
        }
        if let rules {
            lines += ["", "\(rules.count) rules" + (rules.count > top ? ", top \(top) by confidence:" : ":"),
                      "confidence  lift     support  rule"]
            for r in rules.prefix(top) {
                lines.append(pad(Self.number(r.confidence), 10) + "  " + pad(Self.number(r.lift), 7) + "  " +
                             pad(Self.number(r.support), 7) + "  " + r.antecedent.map(String.init).joined(separator: " ") +
                             " -> " + r.consequent.map(String.init).joined(separator: " "))
            }
        }
        lines += ["", "mined in \(String(format: "%.3f", miningSeconds)) s (reading included)"]
        return lines.joined(separator: "\n")
    }

    private func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
    }

    static func number(_ x: Double) -> String { String(format: "%.4f", x) }
}
