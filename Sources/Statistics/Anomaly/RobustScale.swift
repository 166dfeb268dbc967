import Foundation

/// Robust location and scale: the median and the median absolute deviation (MAD).
///
/// `mad` is scaled by 1.4826 (= 1/Φ⁻¹(¾)) so that it estimates σ for normal data; both have a
/// 50% breakdown point, so up to half the values can be anomalies without moving the baseline.
public enum RobustScale {
    /// The median of the finite values of `x` (the mean of the two middle values for an even
    /// count); NaN when there is none. O(n log n).
    public static func median<C: Collection>(_ x: C) -> Double where C.Element == Double {
        let v = x.filter(\.isFinite).sorted()
        return sortedMedian(v[...])
    }

    /// The median of values already sorted ascending.
    static func sortedMedian(_ v: ArraySlice<Double>) -> Double {
        guard !v.isEmpty else { return .nan }
        let mid = v.startIndex + v.count / 2
        return v.count % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2
    }

    /// 1.4826 · median |x − median(x)|: a consistent estimate of σ under normality.
    public static func mad<C: Collection>(_ x: C) -> Double where C.Element == Double {
        let m = median(x)
        return 1.482602218505602 * median(x.lazy.filter(\.isFinite).map { abs($0 - m) })
    }
}

/// A window of values kept sorted, for running medians: insert and remove by binary search,
/// O(w) per update in memory moves, so a running median over n points costs O(n·w) moves and
/// O(n·log w) comparisons (a centred median of a 2,016-point weekly window over 22,695 points
/// moves about 0.3 GB, well under a second).
struct SortedWindow {
    private(set) var values: [Double] = []

    private func position(of x: Double) -> Int {
        var lo = 0, hi = values.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if values[mid] < x { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    mutating func insert(_ x: Double) {
        guard x.isFinite else { return }
        values.insert(x, at: position(of: x))
    }

    mutating func remove(_ x: Double) {
        guard x.isFinite else { return }
        let i = position(of: x)
        if i < values.count, values[i] == x { values.remove(at: i) }
    }

    var median: Double { RobustScale.sortedMedian(values[...]) }
    var count: Int { values.count }
}

extension RobustScale {
    /// The centred running median of window `w` (made odd): entry i is the median of
    /// x[i−h … i+h], h = w/2. Near the ends the full window is kept and shifted inward
    /// (x[0 ..< w] for the first h entries, the last w values for the last h), so a trend taken
    /// over one period never holds a partial cycle. Looks ahead up to w points.
    static func centredRunningMedian(_ x: [Double], window w: Int) -> [Double] {
        let n = x.count
        let width = min(max(1, w | 1), n), h = width / 2
        var window = SortedWindow(), out = [Double](repeating: .nan, count: n)
        var lo = 0, hi = 0   // window holds x[lo..<hi]
        for i in 0..<n {
            let start = min(max(0, i - h), n - width), end = start + width
            while hi < end { window.insert(x[hi]); hi += 1 }
            while lo < start { window.remove(x[lo]); lo += 1 }
            out[i] = window.median
        }
        return out
    }

    /// The trailing running median: entry i is the median of x[i−w … i−1] (only the past; NaN
    /// before the first value).
    static func trailingRunningMedian(_ x: [Double], window w: Int) -> [Double] {
        var window = SortedWindow(), out = [Double](repeating: .nan, count: x.count)
        for i in 0..<x.count {
            out[i] = window.median
            window.insert(x[i])
            if i - w >= 0 { window.remove(x[i - w]) }
        }
        return out
    }
}
