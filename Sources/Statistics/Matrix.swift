import CLAPACK

/// A dense column-major matrix of `Double`, a Sendable value type backed by `[Double]`.
///
/// Products go through BLAS (`dgemm`, `dgemv`, `dsyrk`); factorizations live in
/// `Matrix+QR.swift` and `Matrix+Cholesky.swift`. Element `(i, j)` is `storage[i + j * rows]`.
public struct Matrix: Sendable, Equatable, CustomStringConvertible {
    public let rows: Int
    public let columns: Int
    /// Column-major elements, `rows * columns` of them. Read-only outside this module, so the
    /// count always matches the shape: change elements through the subscript, or build a new
    /// matrix with ``init(rows:columns:columnMajor:)``, which checks the count.
    public internal(set) var storage: [Double]

    /// A `rows × columns` matrix filled with `value`.
    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0, "negative dimension")
        self.rows = rows
        self.columns = columns
        self.storage = [Double](repeating: value, count: rows * columns)
    }

    /// A matrix over column-major `storage`; throws if the count does not match.
    public init(rows: Int, columns: Int, columnMajor storage: [Double]) throws {
        guard rows >= 0, columns >= 0, storage.count == rows * columns else {
            throw NumericsError(.badArgument, "matrix \(rows)×\(columns) needs \(rows * columns) elements, got \(storage.count)")
        }
        self.rows = rows
        self.columns = columns
        self.storage = storage
    }

    /// A matrix from rows given as arrays (all the same length).
    public init(rowMajor values: [[Double]]) throws {
        let r = values.count
        let c = values.first?.count ?? 0
        guard values.allSatisfy({ $0.count == c }) else {
            throw NumericsError(.badArgument, "rows have different lengths")
        }
        var s = [Double](repeating: 0, count: r * c)
        for i in 0..<r { for j in 0..<c { s[i + j * r] = values[i][j] } }
        self.rows = r
        self.columns = c
        self.storage = s
    }

    /// A matrix whose columns are the given arrays (all the same length).
    public init(columns cols: [[Double]]) throws {
        let r = cols.first?.count ?? 0
        guard cols.allSatisfy({ $0.count == r }) else {
            throw NumericsError(.badArgument, "columns have different lengths")
        }
        self.rows = r
        self.columns = cols.count
        self.storage = cols.flatMap { $0 }
    }

    /// The `n × n` identity.
    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m.storage[i + i * n] = 1 }
        return m
    }

    public subscript(i: Int, j: Int) -> Double {
        get { storage[i + j * rows] }
        set { storage[i + j * rows] = newValue }
    }

    /// Column `j` as an array.
    public func column(_ j: Int) -> [Double] { Array(storage[(j * rows)..<((j + 1) * rows)]) }

    /// Row `i` as an array.
    public func row(_ i: Int) -> [Double] { (0..<columns).map { storage[i + $0 * rows] } }

    /// The diagonal.
    public var diagonal: [Double] { (0..<min(rows, columns)).map { storage[$0 + $0 * rows] } }

    /// The transpose.
    public var transposed: Matrix {
        var t = Matrix(rows: columns, columns: rows)
        for j in 0..<columns { for i in 0..<rows { t.storage[j + i * columns] = storage[i + j * rows] } }
        return t
    }

    public var description: String {
        (0..<rows).map { i in row(i).map { String($0) }.joined(separator: "\t") }.joined(separator: "\n")
    }

    /// `op(self) · op(other)` by `dgemm`.
    public func multiplied(by other: Matrix, transposeSelf: Bool = false, transposeOther: Bool = false) throws -> Matrix {
        let m = transposeSelf ? columns : rows
        let k = transposeSelf ? rows : columns
        let k2 = transposeOther ? other.columns : other.rows
        let n = transposeOther ? other.rows : other.columns
        guard k == k2 else {
            throw NumericsError(.badArgument, "cannot multiply \(m)×\(k) by \(k2)×\(n)")
        }
        var c = Matrix(rows: m, columns: n)
        if m == 0 || n == 0 || k == 0 { return c }
        storage.withUnsafeBufferPointer { a in
            other.storage.withUnsafeBufferPointer { b in
                c.storage.withUnsafeMutableBufferPointer { cp in
                    cblas_dgemm(CblasColMajor, transposeSelf ? CblasTrans : CblasNoTrans,
                                transposeOther ? CblasTrans : CblasNoTrans,
                                Int32(m), Int32(n), Int32(k), 1.0, a.baseAddress, Int32(max(rows, 1)),
                                b.baseAddress, Int32(max(other.rows, 1)), 0.0, cp.baseAddress, Int32(max(m, 1)))
                }
            }
        }
        return c
    }

    /// `op(self) · x` by `dgemv`.
    public func multiplied(by x: [Double], transposeSelf: Bool = false) throws -> [Double] {
        let m = transposeSelf ? columns : rows
        let k = transposeSelf ? rows : columns
        guard x.count == k else {
            throw NumericsError(.badArgument, "cannot multiply a \(m)×\(k) matrix by a vector of \(x.count)")
        }
        var y = [Double](repeating: 0, count: m)
        if m == 0 || k == 0 { return y }
        storage.withUnsafeBufferPointer { a in
            x.withUnsafeBufferPointer { xp in
                y.withUnsafeMutableBufferPointer { yp in
                    cblas_dgemv(CblasColMajor, transposeSelf ? CblasTrans : CblasNoTrans, Int32(rows), Int32(columns),
                                1.0, a.baseAddress, Int32(max(rows, 1)), xp.baseAddress, 1, 0.0, yp.baseAddress, 1)
                }
            }
        }
        return y
    }

    /// The Gram matrix `selfᵀ · self` by `dsyrk` (full symmetric result).
    public func gram() -> Matrix {
        var c = Matrix(rows: columns, columns: columns)
        if rows > 0 && columns > 0 {
            storage.withUnsafeBufferPointer { a in
                c.storage.withUnsafeMutableBufferPointer { cp in
                    cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, Int32(columns), Int32(rows), 1.0,
                                a.baseAddress, Int32(rows), 0.0, cp.baseAddress, Int32(columns))
                }
            }
        }
        c.symmetrizeFromUpper()
        return c
    }

    /// Copies the upper triangle into the lower one.
    public mutating func symmetrizeFromUpper() {
        precondition(rows == columns, "not square")
        for j in 0..<columns { for i in (j + 1)..<max(rows, j + 1) { storage[i + j * rows] = storage[j + i * rows] } }
    }

    public static func + (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.rows == b.rows && a.columns == b.columns, "dimension mismatch")
        var c = a
        for i in 0..<c.storage.count { c.storage[i] += b.storage[i] }
        return c
    }

    public static func * (s: Double, a: Matrix) -> Matrix {
        var c = a
        for i in 0..<c.storage.count { c.storage[i] *= s }
        return c
    }
}
