import CLAPACK

/// A design matrix described rather than stored: element `(i, j)` is `s[i]·(x[i, j] − c[j])`,
/// with an optional leading intercept column `s[i]`, where `s` is a per-row scale (√w for
/// weighted fits; 1 when absent) and `c` a per-column centre (0 when absent).
///
/// Why: sandwich covariances, leverages, Wald tests and the Gram pass of a linear fit all need
/// the weighted (or centred) design, and a copy of it costs n × k doubles (160 MB for
/// 1,000,000 × 20). ``forEachBlock(_:)`` forms ``blockRows`` rows at a time in one reusable
/// buffer instead, which BLAS-3 routines then consume block by block.
struct DesignRows {
    let x: Matrix
    let intercept: Bool
    let rowScale: [Double]?
    let center: [Double]?

    /// Rows formed per block: 4096 × 21 doubles is 688 KB, inside a core's L2 on this machine.
    static let blockRows = 4096

    init(x: Matrix, intercept: Bool, rowScale: [Double]? = nil, center: [Double]? = nil) {
        precondition(rowScale.map { $0.count == x.rows } ?? true, "one row scale per row")
        precondition(center.map { $0.count == x.columns } ?? true, "one centre per column")
        self.x = x
        self.intercept = intercept
        self.rowScale = rowScale
        self.center = center
    }

    var rows: Int { x.rows }
    var columns: Int { x.columns + (intercept ? 1 : 0) }

    /// Calls `body(block, start, count)` for consecutive row ranges; `block` holds rows
    /// `start..<start+count` column-major with leading dimension `count`.
    func forEachBlock(_ body: (UnsafeBufferPointer<Double>, _ start: Int, _ count: Int) throws -> Void) rethrows {
        let n = x.rows, k = columns, offset = intercept ? 1 : 0
        guard n > 0, k > 0 else { return }
        var buffer = [Double](repeating: 0, count: min(Self.blockRows, n) * k)
        var start = 0
        while start < n {
            let count = min(Self.blockRows, n - start)
            x.storage.withUnsafeBufferPointer { xs in
                buffer.withUnsafeMutableBufferPointer { out in
                    if intercept {
                        for r in 0..<count { out[r] = rowScale?[start + r] ?? 1 }
                    }
                    for j in 0..<x.columns {
                        let src = j * n + start, dst = (j + offset) * count, mean = center?[j] ?? 0
                        if let s = rowScale {
                            for r in 0..<count { out[dst + r] = s[start + r] * (xs[src + r] - mean) }
                        } else {
                            for r in 0..<count { out[dst + r] = xs[src + r] - mean }
                        }
                    }
                }
            }
            try buffer.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[0..<(count * k)]), start, count) }
            start += count
        }
    }

    /// `Σᵢ ωᵢ·dᵢdᵢᵀ` (`ω` nil: all ones, the Gram matrix `DᵀD`) by `dsyrk` on √ω-scaled blocks.
    func weightedGram(_ omega: [Double]? = nil) -> Matrix {
        let k = columns
        var upper = [Double](repeating: 0, count: k * k)
        func add(_ a: UnsafePointer<Double>?, _ count: Int) {
            upper.withUnsafeMutableBufferPointer { up in
                cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, Int32(k), Int32(count), 1.0, a,
                            Int32(count), 1.0, up.baseAddress, Int32(k))
            }
        }
        var scaled = [Double](), roots = [Double](repeating: 0, count: Self.blockRows)
        forEachBlock { block, start, count in
            guard let omega else { return add(block.baseAddress, count) }
            if scaled.count < block.count { scaled = [Double](repeating: 0, count: block.count) }
            for r in 0..<count { roots[r] = omega[start + r].squareRoot() }
            for j in 0..<k { for r in 0..<count { scaled[j * count + r] = block[j * count + r] * roots[r] } }
            scaled.withUnsafeBufferPointer { add($0.baseAddress, count) }
        }
        var m = Matrix(rows: k, columns: k)
        m.storage = upper
        m.symmetrizeFromUpper()
        return m
    }

    /// `Dᵀ(D·v)`, block by block.
    func gramTimes(_ v: [Double]) -> [Double] {
        let k = columns
        var out = [Double](repeating: 0, count: k)
        var fitted = [Double](repeating: 0, count: Self.blockRows)
        forEachBlock { block, _, count in
            v.withUnsafeBufferPointer { vp in
                fitted.withUnsafeMutableBufferPointer { fp in
                    out.withUnsafeMutableBufferPointer { op in
                        cblas_dgemv(CblasColMajor, CblasNoTrans, Int32(count), Int32(k), 1.0, block.baseAddress, Int32(count),
                                    vp.baseAddress, 1, 0.0, fp.baseAddress, 1)
                        cblas_dgemv(CblasColMajor, CblasTrans, Int32(count), Int32(k), 1.0, block.baseAddress, Int32(count),
                                    fp.baseAddress, 1, 1.0, op.baseAddress, 1)
                    }
                }
            }
        }
        return out
    }
}
