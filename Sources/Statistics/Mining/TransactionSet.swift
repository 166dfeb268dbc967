/// Transactions of integer item ids, stored flat: the items of transaction `t` are
/// `items[offsets[t] ..< offsets[t + 1]]`, sorted ascending without duplicates.
///
/// One array for all items (not an array per transaction) keeps 100,000 transactions in two
/// allocations; the miners read it sequentially.
public struct TransactionSet: Sendable, Equatable {
    /// Every transaction's items, one after another.
    public private(set) var items: [Int32]
    /// `count + 1` offsets into `items`; the first is 0.
    public private(set) var offsets: [Int]

    /// An empty set of transactions.
    public init() {
        items = []
        offsets = [0]
    }

    /// Transactions given as arrays; each is sorted and its duplicates dropped (an item is in a
    /// transaction or not). Item ids must be non-negative.
    public init<S: Sequence>(_ transactions: S) throws where S.Element == [Int] {
        self.init()
        for (index, transaction) in transactions.enumerated() {
            for item in transaction where item < 0 || item > Int(Int32.max) {
                throw NumericsError(.invalidData, "transaction \(index + 1): item \(item) is not an id in 0...\(Int32.max)")
            }
            append(transaction.map { Int32($0) })
        }
    }

    /// Appends one transaction (sorted and deduplicated here).
    public mutating func append(_ transaction: [Int32]) {
        var sorted = transaction
        sorted.sort()
        var previous: Int32 = -1
        for item in sorted where item != previous {
            items.append(item)
            previous = item
        }
        offsets.append(items.count)
    }

    /// The number of transactions (empty ones included: they count toward support's denominator).
    public var count: Int { offsets.count - 1 }

    /// The items of transaction `index`.
    public subscript(index: Int) -> ArraySlice<Int32> { items[offsets[index] ..< offsets[index + 1]] }
}
