import CLAPACK
import Dispatch
import Foundation

/// One fused pass of logistic IRLS over the data at a given β: in blocks of rows it forms
/// η = X_b·β (dgemv on the column-major design in place, leading dimension n, no copy), then
/// μ, w = μ(1−μ), the residual w(y−μ) and the log-likelihood in one scalar loop (one `exp` and
/// one `log1p` per row), copies the √w-scaled block into a small buffer, accumulates XᵀWX with
/// dsyrk and Xᵀ(w(y−μ)) with dgemv. The row range is split between `threads` workers, each with
/// its own buffers and accumulators (summed at the end in a fixed order, so results do not depend
/// on scheduling). Nothing is allocated inside the block loop.
struct LogisticPass {
    struct Result {
        /// Σ w·(yη − log(1+e^η)).
        var logLikelihood = 0.0
        /// Gradient of the log-likelihood, length k.
        var gradient: [Double]
        /// Upper triangle of XᵀWX (k×k column-major; lower triangle filled on return).
        var information: [Double]
        /// Rows with positive weight and |η| > 15.
        var extreme = 0
    }

    /// Pointers into caller-owned arrays that outlive the pass.
    struct Data: @unchecked Sendable {
        let x: UnsafePointer<Double>
        let y: UnsafePointer<Double>
        let w: UnsafePointer<Double>?
        let n: Int, p: Int, intercept: Bool
    }

    let data: Data
    let block: Int
    let threads: Int

    init(data: Data, block: Int, threads: Int) {
        self.data = data
        self.block = max(16, min(block, max(data.n, 1)))
        self.threads = max(1, min(threads, data.n / (4 * self.block)))
    }

    var k: Int { data.p + (data.intercept ? 1 : 0) }

    func run(beta: [Double]) -> Result {
        let k = self.k, t = threads, n = data.n
        // per worker: [ll, extreme, g(k), H(k·k)]
        let stride = 2 + k + k * k
        let out = UnsafeMutableBufferPointer<Double>.allocate(capacity: stride * t)
        out.initialize(repeating: 0)
        defer { out.deallocate() }
        let box = OutBox(base: out.baseAddress!)
        let chunk = (n + t - 1) / t
        let work: @Sendable (Int) -> Void = { worker in
            let lo = min(worker * chunk, n), hi = min(lo + chunk, n)
            self.runRange(lo..<hi, beta: beta, into: box.base + worker * stride)
        }
        // The BLAS calls here are small (one block each) and the workers are our own threads, so
        // OpenBLAS runs single-threaded for the pass (BLASThreads: safe with concurrent fits).
        BLASThreads.singleThreaded {
            if t == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: t, execute: work) }
        }
        var result = Result(gradient: [Double](repeating: 0, count: k), information: [Double](repeating: 0, count: k * k))
        for worker in 0..<t {
            let o = out.baseAddress! + worker * stride
            result.logLikelihood += o[0]
            result.extreme += Int(o[1])
            for j in 0..<k { result.gradient[j] += o[2 + j] }
            for j in 0..<(k * k) { result.information[j] += o[2 + k + j] }
        }
        for j in 0..<k { for i in (j + 1)..<k { result.information[i + j * k] = result.information[j + i * k] } }
        return result
    }

    private struct OutBox: @unchecked Sendable { let base: UnsafeMutablePointer<Double> }

    /// Accumulates rows `range` into `o` = [ll, extreme, g, H].
    private func runRange(_ range: Range<Int>, beta: [Double], into o: UnsafeMutablePointer<Double>) {
        let n = data.n, p = data.p, int = data.intercept, k = self.k
        let off = int ? 1 : 0
        let b0 = int ? beta[0] : 0
        let m0 = block
        let eta = UnsafeMutablePointer<Double>.allocate(capacity: m0)
        let sqw = UnsafeMutablePointer<Double>.allocate(capacity: m0)
        let res = UnsafeMutablePointer<Double>.allocate(capacity: m0)
        let buf = UnsafeMutablePointer<Double>.allocate(capacity: m0 * k)
        defer { eta.deallocate(); sqw.deallocate(); res.deallocate(); buf.deallocate() }
        let g = o + 2, h = o + 2 + k
        var ll = 0.0, extreme = 0.0, intGrad = 0.0
        beta.withUnsafeBufferPointer { bp in
            let slopes = bp.baseAddress! + off
            var start = range.lowerBound
            while start < range.upperBound {
                let m = min(m0, range.upperBound - start)
                for r in 0..<m { eta[r] = b0 }
                if p > 0 {
                    cblas_dgemv(CblasColMajor, CblasNoTrans, Int32(m), Int32(p), 1.0, data.x + start, Int32(n),
                                slopes, 1, 1.0, eta, 1)
                }
                let y = data.y + start
                let wp = data.w.map { $0 + start }
                for r in 0..<m {
                    let e = eta[r]
                    let wi = wp?[r] ?? 1
                    let a = exp(-abs(e))            // e^{−|η|}
                    let mu = e >= 0 ? 1 / (1 + a) : a / (1 + a)
                    let v = wi * mu * (1 - mu)
                    sqw[r] = v.squareRoot()
                    let rr = wi * (y[r] - mu)
                    res[r] = rr
                    intGrad += rr
                    // y·η − log(1+e^η) = y·η − max(η,0) − log1p(e^{−|η|})
                    ll += wi * (y[r] * e - max(e, 0) - log1p(a))
                    if wi > 0 && abs(e) > 15 { extreme += 1 }
                }
                if int { for r in 0..<m { buf[r] = sqw[r] } }
                for j in 0..<p {
                    let src = data.x + j * n + start
                    let dst = buf + (j + off) * m
                    for r in 0..<m { dst[r] = sqw[r] * src[r] }
                }
                cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, Int32(k), Int32(m), 1.0, buf, Int32(m), 1.0, h, Int32(k))
                if p > 0 {
                    cblas_dgemv(CblasColMajor, CblasTrans, Int32(m), Int32(p), 1.0, data.x + start, Int32(n),
                                res, 1, 1.0, g + off, 1)
                }
                start += m
            }
        }
        if int { g[0] += intGrad }
        o[0] = ll
        o[1] = extreme
    }
}
