import CLAPACK

/// A Cholesky factorization `A = Uᵀ·U` of a symmetric positive definite matrix (`dpotrf`).
public struct Cholesky: Sendable {
    /// `U` in the upper triangle (the lower triangle is unspecified).
    public let factor: Matrix
    /// 1-norm of the original matrix, kept for the condition estimate.
    public let anorm: Double

    /// Factors `a`; throws `.notPositiveDefinite` when a leading minor is not positive.
    public init(_ a: Matrix) throws {
        guard a.rows == a.columns else { throw NumericsError(.badArgument, "Cholesky needs a square matrix") }
        var uplo = CChar(UInt8(ascii: "U")), norm = CChar(UInt8(ascii: "1"))
        var n = Int32(a.rows), lda = Int32(max(a.rows, 1))
        var work = [Double](repeating: 0, count: max(a.rows, 1))
        self.anorm = dlansy_(&norm, &uplo, &n, a.storage, &lda, &work, 1, 1)
        var f = a.storage
        var info: Int32 = 0
        dpotrf_(&uplo, &n, &f, &lda, &info, 1)
        if info != 0 { throw NumericsError.lapack("dpotrf", info: info, positiveMeaning: .notPositiveDefinite) }
        self.factor = try Matrix(rows: a.rows, columns: a.columns, columnMajor: f)
    }

    /// Solves `A·x = b` (`dpotrs`).
    public func solve(_ b: [Double]) throws -> [Double] {
        var uplo = CChar(UInt8(ascii: "U"))
        var n = Int32(factor.rows), nrhs: Int32 = 1, lda = Int32(max(factor.rows, 1)), ldb = Int32(max(factor.rows, 1))
        guard b.count == factor.rows else { throw NumericsError(.badArgument, "Cholesky solve: length mismatch") }
        var x = b
        var info: Int32 = 0
        dpotrs_(&uplo, &n, &nrhs, factor.storage, &lda, &x, &ldb, &info, 1)
        if info != 0 { throw NumericsError.lapack("dpotrs", info: info, positiveMeaning: .singular) }
        return x
    }

    /// `A⁻¹` (full symmetric) by `dpotri`.
    public func inverse() throws -> Matrix {
        var uplo = CChar(UInt8(ascii: "U"))
        var n = Int32(factor.rows), lda = Int32(max(factor.rows, 1))
        var a = factor.storage
        var info: Int32 = 0
        dpotri_(&uplo, &n, &a, &lda, &info, 1)
        if info != 0 { throw NumericsError.lapack("dpotri", info: info, positiveMeaning: .singular) }
        var m = try Matrix(rows: factor.rows, columns: factor.columns, columnMajor: a)
        m.symmetrizeFromUpper()
        return m
    }

    /// Estimated reciprocal 1-norm condition number of `A` (`dpocon`).
    public func reciprocalCondition() throws -> Double {
        var uplo = CChar(UInt8(ascii: "U"))
        var n = Int32(factor.rows), lda = Int32(max(factor.rows, 1))
        var an = anorm, rcond = 0.0
        var work = [Double](repeating: 0, count: 3 * max(factor.rows, 1))
        var iwork = [Int32](repeating: 0, count: max(factor.rows, 1))
        var info: Int32 = 0
        dpocon_(&uplo, &n, factor.storage, &lda, &an, &rcond, &work, &iwork, &info, 1)
        if info != 0 { throw NumericsError.lapack("dpocon", info: info, positiveMeaning: .singular) }
        return rcond
    }
}
