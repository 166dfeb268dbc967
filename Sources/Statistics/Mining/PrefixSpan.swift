/// A sequential pattern: items in order (not necessarily adjacent), with the sequences that
/// contain it.
public struct SequentialPattern: Sendable, Equatable {
    public var items: [Int32]
    /// Indices of the sequences containing the pattern, ascending; its support count is their number.
    public var sequences: [Int]
    public var count: Int { sequences.count }
}

/// PrefixSpan (Pei et al. 2001) for sequences of single items, such as the tool calls of a session.
///
/// A pattern p is contained in a sequence s when p's items occur in s in order (gaps allowed);
/// its support is the number of sequences containing it (a sequence counts once however often
/// the pattern recurs in it). For each frequent prefix the projected database keeps, per
/// sequence, the position just after the prefix's leftmost match; extending by item x moves each
/// position past the first x in the suffix. Patterns longer than `maxLength` are not explored,
/// which bounds the work on long sessions.
public struct PrefixSpan: Sendable {
    public var minimumSupport: MinimumSupport
    public var maxLength: Int

    public init(minimumSupport: MinimumSupport, maxLength: Int) {
        self.minimumSupport = minimumSupport
        self.maxLength = maxLength
    }

    /// Every frequent pattern of length 1...maxLength, in depth-first order (a prefix before its extensions).
    public func mine(_ sequences: [[Int32]]) throws -> [SequentialPattern] {
        guard maxLength >= 1 else { throw NumericsError(.badArgument, "max length must be at least 1; got \(maxLength)") }
        let minCount = try minimumSupport.minimumCount(transactionCount: sequences.count)
        var found: [SequentialPattern] = []
        var prefix: [Int32] = []

        func grow(_ projected: [(sequence: Int, start: Int)]) {
            // first position of each item in each projected suffix
            var firstAt: [Int32: [(sequence: Int, start: Int)]] = [:]
            for (s, start) in projected {
                var seen = Set<Int32>()
                let seq = sequences[s]
                var i = start
                while i < seq.count {
                    let item = seq[i]
                    if seen.insert(item).inserted { firstAt[item, default: []].append((s, i + 1)) }
                    i += 1
                }
            }
            for item in firstAt.keys.sorted() {
                guard let next = firstAt[item], next.count >= minCount else { continue }
                prefix.append(item)
                found.append(SequentialPattern(items: prefix, sequences: next.map(\.sequence)))
                if prefix.count < maxLength { grow(next) }
                prefix.removeLast()
            }
        }
        grow(sequences.indices.map { ($0, 0) })
        return found
    }
}
