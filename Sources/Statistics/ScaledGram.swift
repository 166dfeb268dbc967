import CLAPACK

/// The least-squares problem of a linear fit through its scaled Gram matrix, for designs well
/// enough conditioned that squaring the condition number costs nothing that refinement cannot
/// give back.
///
/// One blocked pass over the design forms `G = X꜀ᵀWX꜀` (`dsyrk` on a 4096-row buffer of the
/// centred, √w-weighted columns: no n × p copy) and `X꜀ᵀWy꜀` (`dgemv`), then scales both to unit
/// diagonal (`Gₛ = D⁻¹GD⁻¹`). `Gₛ = UᵀU` by `dpotrf`. When `dpocon` puts `κ₁(Gₛ)` below 1e10
/// (`κ(Xₛ) ≲ 1e5`), the solution is taken from `U` and improved by up to three steps of
/// corrected seminormal-equation refinement (residual by `dgemv` on the same row blocks,
/// `δ = Gₛ⁻¹Xₛᵀr`): each step multiplies the error by about `κ(Xₛ)²ε ≤ 1e-6`, so two reach the
/// accuracy of a backward-stable QR. Otherwise the caller falls back to the pivoted QR. `U`
/// plays the role of QR's `R` (`RᵀR = Gₛ`) for the covariance, with no pivoting.
///
/// Why: on 1e6 × 20 the pivoted QR (`dgeqp3`, mostly BLAS-2) took 0.8 s, while the Gram pass is
/// BLAS-3 and reads the design once.
struct ScaledGram {
    /// Column norms of the centred, weighted design (`D`).
    let scale: [Double]
    /// `Gₛ` (full symmetric).
    let scaled: Matrix
    /// `D⁻¹X꜀ᵀWy꜀`.
    let rhs: [Double]
    private let x: Matrix, y: [Double], sw: [Double], xbar: [Double], ybar: Double
    private var factor: Cholesky? = nil

    /// `κ₁(Gₛ)` above which the QR path is used.
    static let conditionLimit = 1e3
    static let blockRows = DesignRows.blockRows

    init(x: Matrix, y: [Double], sw: [Double], xbar: [Double], ybar: Double, names: [String], intercept: Bool) throws {
        let p = x.columns
        (self.x, self.y, self.sw, self.xbar, self.ybar) = (x, y, sw, xbar, ybar)
        var g = [Double](repeating: 0, count: p * p)
        var b = [Double](repeating: 0, count: p)
        Self.forEachBlock(x: x, y: y, sw: sw, xbar: xbar, ybar: ybar) { bp, yb, rows in
            g.withUnsafeMutableBufferPointer { gp in
                cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, Int32(p), Int32(rows), 1.0, bp.baseAddress,
                            Int32(rows), 1.0, gp.baseAddress, Int32(p))
            }
            yb.withUnsafeBufferPointer { ypp in
                b.withUnsafeMutableBufferPointer { rp in
                    cblas_dgemv(CblasColMajor, CblasTrans, Int32(rows), Int32(p), 1.0, bp.baseAddress, Int32(rows),
                                ypp.baseAddress, 1, 1.0, rp.baseAddress, 1)
                }
            }
        }
        var scale = [Double](repeating: 1, count: p)
        for j in 0..<p {
            let c = g[j + j * p].squareRoot()
            if !(c > 0) {
                throw NumericsError(.rankDeficient, "term \(names[j]) is constant\(intercept ? " (aliased with the intercept)" : " zero")",
                                    terms: [names[j]])
            }
            scale[j] = c
        }
        var gs = Matrix(rows: p, columns: p)
        for j in 0..<p { for i in 0...j {
            let v = g[i + j * p] / (scale[i] * scale[j])
            gs[i, j] = v
            gs[j, i] = v
        } }
        for j in 0..<p { gs[j, j] = 1 }
        self.scale = scale
        self.scaled = gs
        self.rhs = (0..<p).map { b[$0] / scale[$0] }
    }

    /// Calls `body(block, centredResponse, rows)` for each block of the centred, √w-weighted
    /// design (formed by ``DesignRows``) with the matching slice of `√w·(y − ȳ)`.
    private static func forEachBlock(x: Matrix, y: [Double], sw: [Double], xbar: [Double], ybar: Double,
                                     _ body: (UnsafeBufferPointer<Double>, inout [Double], Int) -> Void) {
        var yb = [Double](repeating: 0, count: min(blockRows, x.rows))
        DesignRows(x: x, intercept: false, rowScale: sw, center: xbar).forEachBlock { block, start, rows in
            for r in 0..<rows { yb[r] = sw[start + r] * (y[start + r] - ybar) }
            body(block, &yb, rows)
        }
    }

    /// `U` of `Gₛ = UᵀU` (zero below the diagonal); valid after ``solveIfWellConditioned()`` returned a solution.
    var upperFactor: Matrix {
        guard let f = factor?.factor else { return Matrix(rows: 0, columns: 0) }
        var u = f
        for j in 0..<u.columns { for i in (j + 1)..<max(u.rows, j + 1) { u[i, j] = 0 } }
        return u
    }

    /// The solution in scaled coordinates (`β = solution / scale`), or nil when `Gₛ` is not
    /// positive definite or too ill-conditioned for this path.
    mutating func solveIfWellConditioned() throws -> [Double]? {
        guard let chol = try? Cholesky(scaled), let rc = try? chol.reciprocalCondition(),
              rc >= 1 / Self.conditionLimit else { return nil }
        factor = chol
        var z = try chol.solve(rhs)
        for _ in 0..<3 {
            let g = try scaledGradient(at: z)
            let delta = try chol.solve(g)
            var moved = false
            for j in z.indices {
                let old = z[j]
                z[j] += delta[j]
                if abs(delta[j]) > 4 * Double.ulpOfOne * abs(old) { moved = true }
            }
            if !moved { break }
        }
        return z
    }

    /// `Xₛᵀ(y꜀ − Xₛz)` in working precision, on the same row blocks.
    private func scaledGradient(at z: [Double]) throws -> [Double] {
        let p = x.columns
        let unscaled = (0..<p).map { z[$0] / scale[$0] }
        var g = [Double](repeating: 0, count: p)
        Self.forEachBlock(x: x, y: y, sw: sw, xbar: xbar, ybar: ybar) { bp, yb, rows in
            yb.withUnsafeMutableBufferPointer { rp in
                // r = y꜀ − X꜀·(z/D), then g += X꜀ᵀr
                cblas_dgemv(CblasColMajor, CblasNoTrans, Int32(rows), Int32(p), -1.0, bp.baseAddress, Int32(rows),
                            unscaled, 1, 1.0, rp.baseAddress, 1)
                g.withUnsafeMutableBufferPointer { gp in
                    cblas_dgemv(CblasColMajor, CblasTrans, Int32(rows), Int32(p), 1.0, bp.baseAddress, Int32(rows),
                                rp.baseAddress, 1, 1.0, gp.baseAddress, 1)
                }
            }
        }
        return (0..<p).map { g[$0] / scale[$0] }
    }
}
