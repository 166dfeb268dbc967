import CLAPACK

/// A QR factorization with column pivoting, `A·P = Q·R`, from LAPACK `dgeqp3` (rank revealing).
///
/// `R`'s diagonal is non-increasing in magnitude, so the numerical rank is the number of
/// diagonal entries above `tolerance · |R₁₁|`. Columns past the rank are the aliased ones.
public struct PivotedQR: Sendable {
    /// LAPACK's compact form: `R` in the upper triangle, Householder vectors below.
    public let factors: Matrix
    public let tau: [Double]
    /// Zero-based: column `k` of `A·P` is column `pivots[k]` of `A`.
    public let pivots: [Int]
    /// Numerical rank at the tolerance given to the initializer.
    public let rank: Int

    /// Factors `a` (`m × n`, `m ≥ n`). `tolerance` is relative to `|R₁₁|` (default `max(m,n)·ε`).
    public init(_ a: Matrix, tolerance: Double? = nil) throws {
        var copy = a
        try self.init(overwriting: &copy, tolerance: tolerance)
    }

    /// Factors `a` in its own storage, which the factorization takes over (`a` is left empty):
    /// a tall design is factored without a second copy of it in memory.
    public init(overwriting matrix: inout Matrix, tolerance: Double? = nil) throws {
        let a = (rows: matrix.rows, columns: matrix.columns)
        var m = Int32(a.rows), n = Int32(a.columns), lda = Int32(max(a.rows, 1))
        guard a.rows >= a.columns else {
            throw NumericsError(.badArgument, "QR needs at least as many rows (\(a.rows)) as columns (\(a.columns))")
        }
        var f: [Double] = []
        swap(&f, &matrix.storage)
        matrix = Matrix(rows: 0, columns: 0)
        var jpvt = [Int32](repeating: 0, count: a.columns)
        var tau = [Double](repeating: 0, count: a.columns)
        var info: Int32 = 0
        var lwork: Int32 = -1
        var query = [Double](repeating: 0, count: 1)
        dgeqp3_(&m, &n, &f, &lda, &jpvt, &tau, &query, &lwork, &info)
        if info != 0 { throw NumericsError.lapack("dgeqp3", info: info, positiveMeaning: .singular) }
        lwork = Int32(max(query[0], 1))
        var work = [Double](repeating: 0, count: Int(lwork))
        dgeqp3_(&m, &n, &f, &lda, &jpvt, &tau, &work, &lwork, &info)
        if info != 0 { throw NumericsError.lapack("dgeqp3", info: info, positiveMeaning: .singular) }
        self.factors = try Matrix(rows: a.rows, columns: a.columns, columnMajor: f)
        self.tau = tau
        self.pivots = jpvt.map { Int($0) - 1 }
        let tol = tolerance ?? (Double(max(a.rows, a.columns)) * Double.ulpOfOne)
        let r11 = a.columns > 0 ? abs(f[0]) : 0
        var r = 0
        while r < a.columns && abs(f[r + r * a.rows]) > tol * r11 && r11 > 0 { r += 1 }
        self.rank = r
    }

    /// The leading `k × k` block of `R` (upper triangular).
    public func r(_ k: Int? = nil) -> Matrix {
        let k = k ?? rank
        var out = Matrix(rows: k, columns: k)
        for j in 0..<k { for i in 0...j { out[i, j] = factors[i, j] } }
        return out
    }

    /// `Qᵀ·b` for a vector `b` of length `m`, by `dormqr`.
    public func qTransposeTimes(_ b: [Double]) throws -> [Double] {
        var side = CChar(UInt8(ascii: "L")), trans = CChar(UInt8(ascii: "T"))
        var m = Int32(factors.rows), n: Int32 = 1, k = Int32(factors.columns)
        var lda = Int32(max(factors.rows, 1)), ldc = Int32(max(factors.rows, 1))
        var c = b
        var info: Int32 = 0, lwork: Int32 = -1
        var query = [Double](repeating: 0, count: 1)
        dormqr_(&side, &trans, &m, &n, &k, factors.storage, &lda, tau, &c, &ldc, &query, &lwork, &info, 1, 1)
        if info != 0 { throw NumericsError.lapack("dormqr", info: info, positiveMeaning: .singular) }
        lwork = Int32(max(query[0], 1))
        var work = [Double](repeating: 0, count: Int(lwork))
        dormqr_(&side, &trans, &m, &n, &k, factors.storage, &lda, tau, &c, &ldc, &work, &lwork, &info, 1, 1)
        if info != 0 { throw NumericsError.lapack("dormqr", info: info, positiveMeaning: .singular) }
        return c
    }

    /// Least-squares solution of `A·x ≈ b` when `A` has full column rank (throws otherwise).
    /// Accuracy: backward stable; forward error about `κ(A)·ε` (plus `κ(A)²·ε·‖r‖` for large residuals).
    public func solve(_ b: [Double]) throws -> [Double] {
        let n = factors.columns
        guard rank == n else {
            throw NumericsError(.rankDeficient, "the matrix has rank \(rank) < \(n) columns")
        }
        let qtb = try qTransposeTimes(b)
        let z = try Triangular.solveUpper(r(n), Array(qtb[0..<n]))
        var x = [Double](repeating: 0, count: n)
        for k in 0..<n { x[pivots[k]] = z[k] }
        return x
    }
}

/// Triangular solves and inverses (LAPACK `dtrtrs`, `dtrtri`, `dtrcon`).
public enum Triangular {
    /// Solves `R·x = b` (or `Rᵀ·x = b`) for upper triangular `R`; throws `.singular` on a zero pivot.
    public static func solveUpper(_ r: Matrix, _ b: [Double], transpose: Bool = false) throws -> [Double] {
        var uplo = CChar(UInt8(ascii: "U")), trans = CChar(UInt8(ascii: transpose ? "T" : "N"))
        var diag = CChar(UInt8(ascii: "N"))
        var n = Int32(r.rows), nrhs: Int32 = 1, lda = Int32(max(r.rows, 1)), ldb = Int32(max(r.rows, 1))
        var x = b
        var info: Int32 = 0
        guard b.count == r.rows, r.rows == r.columns else {
            throw NumericsError(.badArgument, "triangular solve: dimensions do not match")
        }
        dtrtrs_(&uplo, &trans, &diag, &n, &nrhs, r.storage, &lda, &x, &ldb, &info, 1, 1, 1)
        if info != 0 { throw NumericsError.lapack("dtrtrs", info: info, positiveMeaning: .singular) }
        return x
    }

    /// The inverse of an upper triangular matrix.
    public static func invertUpper(_ r: Matrix) throws -> Matrix {
        var uplo = CChar(UInt8(ascii: "U")), diag = CChar(UInt8(ascii: "N"))
        var n = Int32(r.rows), lda = Int32(max(r.rows, 1))
        var a = r.storage
        var info: Int32 = 0
        dtrtri_(&uplo, &diag, &n, &a, &lda, &info, 1, 1)
        if info != 0 { throw NumericsError.lapack("dtrtri", info: info, positiveMeaning: .singular) }
        return try Matrix(rows: r.rows, columns: r.columns, columnMajor: a)
    }

    /// An estimate of the 1-norm reciprocal condition number of an upper triangular matrix.
    public static func reciprocalCondition(_ r: Matrix) throws -> Double {
        var norm = CChar(UInt8(ascii: "1")), uplo = CChar(UInt8(ascii: "U")), diag = CChar(UInt8(ascii: "N"))
        var n = Int32(r.rows), lda = Int32(max(r.rows, 1))
        var rcond = 0.0
        var work = [Double](repeating: 0, count: 3 * max(r.rows, 1))
        var iwork = [Int32](repeating: 0, count: max(r.rows, 1))
        var info: Int32 = 0
        dtrcon_(&norm, &uplo, &diag, &n, r.storage, &lda, &rcond, &work, &iwork, &info, 1, 1, 1)
        if info != 0 { throw NumericsError.lapack("dtrcon", info: info, positiveMeaning: .singular) }
        return rcond
    }
}

extension Matrix {
    /// The 2-norm condition number `σ_max / σ_min` from the singular values (`dgesdd`).
    public func conditionNumber() throws -> Double {
        let s = try singularValues()
        guard let mx = s.first, let mn = s.last else { return 0 }
        return mn == 0 ? .infinity : mx / mn
    }

    /// Singular values in decreasing order (`dgesdd`, no vectors).
    public func singularValues() throws -> [Double] {
        var jobz = CChar(UInt8(ascii: "N"))
        var m = Int32(rows), n = Int32(columns), lda = Int32(max(rows, 1))
        var a = storage
        var s = [Double](repeating: 0, count: min(rows, columns))
        var u = [Double](repeating: 0, count: 1), vt = [Double](repeating: 0, count: 1)
        var ldu: Int32 = 1, ldvt: Int32 = 1
        var iwork = [Int32](repeating: 0, count: 8 * max(min(rows, columns), 1))
        var info: Int32 = 0, lwork: Int32 = -1
        var query = [Double](repeating: 0, count: 1)
        dgesdd_(&jobz, &m, &n, &a, &lda, &s, &u, &ldu, &vt, &ldvt, &query, &lwork, &iwork, &info, 1)
        if info != 0 { throw NumericsError.lapack("dgesdd", info: info, positiveMeaning: .singular) }
        lwork = Int32(max(query[0], 1))
        var work = [Double](repeating: 0, count: Int(lwork))
        dgesdd_(&jobz, &m, &n, &a, &lda, &s, &u, &ldu, &vt, &ldvt, &work, &lwork, &iwork, &info, 1)
        if info != 0 { throw NumericsError(.notConverged, "dgesdd: singular values did not converge (info \(info))") }
        return s
    }
}
