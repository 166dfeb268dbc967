/// A frequent-pattern tree (Han, Pei & Yin 2000) held in parallel arrays rather than one object
/// per node: node `n` has `item[n]`, `count[n]`, `parent[n]` and `next[n]` (the next node of the
/// same item), node 0 is the root. Items are ranks (0 = most frequent), so every root-to-leaf
/// path lists ranks in ascending order.
///
/// The tree is built from weighted paths sorted lexicographically: paths that share a prefix are
/// then adjacent, so each new path reuses the previous path's nodes up to their common prefix and
/// no child lookup (hash or list) is needed. Sorting costs O(P log P) comparisons for P paths.
struct FPTree {
    var item: [Int32] = [-1]
    var count: [Int] = [0]
    var parent: [Int32] = [-1]
    var next: [Int32] = [-1]
    /// First node of each rank (-1 when absent).
    var head: [Int32]
    /// Total count of each rank in the tree (its support in this conditional database).
    var support: [Int]
    /// True when no node has two children: the tree is one path (root, 1, 2, …).
    private(set) var isSinglePath = true

    var rankCount: Int { head.count }

    /// Builds the tree of `paths` (each `paths[offsets[p] ..< offsets[p + 1]]`, ranks ascending)
    /// with weights `weights[p]`; ranks are in `0 ..< rankCount`.
    init(rankCount: Int, paths: [Int32], offsets: [Int], weights: [Int]) {
        head = Array(repeating: -1, count: rankCount)
        support = Array(repeating: 0, count: rankCount)
        var tail = Array(repeating: Int32(-1), count: rankCount)
        let pathCount = weights.count
        var order = Array(0 ..< pathCount)
        paths.withUnsafeBufferPointer { p in
            offsets.withUnsafeBufferPointer { o in
                order.sort { a, b in
                    var i = o[a], j = o[b]
                    let ea = o[a + 1], eb = o[b + 1]
                    while i < ea, j < eb {
                        if p[i] != p[j] { return p[i] < p[j] }
                        i += 1; j += 1
                    }
                    return i == ea && j < eb
                }
            }
        }
        item.reserveCapacity(paths.count / 2 + 1)
        count.reserveCapacity(paths.count / 2 + 1)
        parent.reserveCapacity(paths.count / 2 + 1)
        next.reserveCapacity(paths.count / 2 + 1)
        var stack: [Int32] = []          // the previous path's nodes, by depth
        var previous = -1
        paths.withUnsafeBufferPointer { paths in
            offsets.withUnsafeBufferPointer { offsets in
                for path in order {
                    let start = offsets[path], end = offsets[path + 1]
                    let length = end - start
                    let weight = weights[path]
                    var common = 0
                    if previous >= 0 {
                        let ps = offsets[previous], pe = offsets[previous + 1]
                        while common < length, ps + common < pe, paths[ps + common] == paths[start + common] { common += 1 }
                    }
                    if stack.count > common, common < length { isSinglePath = false }
                    stack.removeSubrange(common...)
                    count.withUnsafeMutableBufferPointer { count in
                        for depth in 0 ..< common { count[Int(stack[depth])] += weight }
                    }
                    for depth in common ..< length {
                        let rank = paths[start + depth]
                        let node = Int32(item.count)
                        item.append(rank)
                        count.append(weight)
                        parent.append(depth == 0 ? 0 : stack[depth - 1])
                        next.append(-1)
                        if tail[Int(rank)] < 0 { head[Int(rank)] = node } else { next[Int(tail[Int(rank)])] = node }
                        tail[Int(rank)] = node
                        stack.append(node)
                    }
                    support.withUnsafeMutableBufferPointer { support in
                        for depth in 0 ..< length { support[Int(paths[start + depth])] += weight }
                    }
                    previous = path
                }
            }
        }
    }
}
