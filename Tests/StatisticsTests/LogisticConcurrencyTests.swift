import Dispatch
import Foundation
import Testing
@testable import Statistics

/// Two logistic fits at once in one process (as the scheduler will run them).
@Suite struct LogisticConcurrencyTests {
    static func data(seed: UInt64, rows: Int, columns: Int) throws -> (Matrix, [Double]) {
        var rng = TestRandom(seed: seed)
        var x = Matrix(rows: rows, columns: columns)
        var y = [Double](repeating: 0, count: rows)
        for i in 0..<rows {
            var eta = -0.2
            for j in 0..<columns {
                let v = rng.normal()
                x[i, j] = v
                eta += 0.3 * Double(j % 3 - 1) * v
            }
            y[i] = rng.uniform() < 1 / (1 + exp(-eta)) ? 1 : 0
        }
        return (x, y)
    }

    /// Each fit alone, then pairs of them at once, several rounds: every concurrent fit equals its
    /// result alone bit for bit (both run OpenBLAS at one thread with the same fixed-order sums).
    @Test func concurrentFitsEqualTheirResultsAlone() throws {
        let a = try Self.data(seed: 1, rows: 40_000, columns: 8)
        let b = try Self.data(seed: 2, rows: 30_000, columns: 6)
        var options = LogisticRegressionOptions()
        options.threads = 2
        options.blockRows = 512
        let aloneA = try LogisticRegression.fit(x: a.0, y: a.1, options: options)
        let aloneB = try LogisticRegression.fit(x: b.0, y: b.1, options: options)
        final class Results: @unchecked Sendable {
            let lock = NSLock()
            var fits: [Int: [[Double]]] = [:]
            var failures: [String] = []
        }
        let results = Results()
        let inputs = [a, b]
        let frozen = options
        for _ in 0..<6 {
            DispatchQueue.concurrentPerform(iterations: 2) { i in
                do {
                    let fit = try LogisticRegression.fit(x: inputs[i].0, y: inputs[i].1, options: frozen)
                    results.lock.lock()
                    results.fits[i, default: []].append(fit.coefficients + fit.terms.map(\.stdError))
                    results.lock.unlock()
                } catch {
                    results.lock.lock(); results.failures.append("\(error)"); results.lock.unlock()
                }
            }
        }
        #expect(results.failures.isEmpty)
        for (i, alone) in [aloneA, aloneB].enumerated() {
            let expected = alone.coefficients + alone.terms.map(\.stdError)
            let runs = try #require(results.fits[i])
            #expect(runs.count == 6)
            for run in runs { #expect(run == expected, "fit \(i) differs when run beside another") }
        }
    }

    /// Overlapping single-threaded scopes: inside every one OpenBLAS runs at one thread, and the
    /// setting returns to its value once the last scope closes (a save/set/restore per scope fails
    /// both: a scope entered while another ran would restore 1 or see the other's restored 2).
    @Test func overlappingScopesKeepOneThreadAndRestore() {
        final class Seen: @unchecked Sendable {
            let lock = NSLock()
            var insideCounts: [Int32] = []
        }
        let seen = Seen()
        let before = BLASThreads.state
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            for round in 0..<20 {
                BLASThreads.singleThreaded {
                    usleep(UInt32((i * 7 + round * 3) % 11) * 50)
                    let t = BLASThreads.state.threads
                    seen.lock.lock(); seen.insideCounts.append(t); seen.lock.unlock()
                }
            }
        }
        #expect(seen.insideCounts.count == 160)
        #expect(seen.insideCounts.allSatisfy { $0 == 1 })
        let after = BLASThreads.state
        if before.openScopes == 0 && after.openScopes == 0 {   // no fit of another test running
            #expect(after.threads == before.threads)
        }
    }
}
