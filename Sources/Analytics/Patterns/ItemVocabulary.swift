import Statistics

/// Item names ↔ the integer ids FP-Growth works on (ids in name order, so runs are reproducible).
struct ItemVocabulary {
    let names: [String]
    private let ids: [String: Int32]

    init<S: Sequence>(_ transactions: S) where S.Element == [String] {
        names = Set(transactions.joined()).sorted()
        ids = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, Int32($0)) })
    }

    func transactions(_ lists: [[String]]) -> TransactionSet {
        var set = TransactionSet()
        for list in lists { set.append(list.compactMap { ids[$0] }) }
        return set
    }

    func names<C: Collection>(_ itemIDs: C) -> [String] where C.Element == Int32 { itemIDs.map { names[Int($0)] } }
}
