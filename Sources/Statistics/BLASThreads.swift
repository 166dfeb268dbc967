import CLAPACK
import Foundation

/// OpenBLAS's thread count is one setting for the whole process. The logistic pass runs its own
/// worker threads over small blocks and wants OpenBLAS single-threaded meanwhile (1e6 × 20:
/// 0.45 s at 1 BLAS thread, 1.2 s at the default 2, from oversubscribed cores). A plain
/// save/set/restore races when two fits run at once: the second saves the first's 1, the first
/// restores 2 while the second still runs, and the second finally leaves 1 behind for good.
///
/// ``singleThreaded(_:)`` counts the scopes under a lock instead: the first to enter saves the
/// setting and sets 1, the last to leave restores it, so every scope runs at 1 thread and the
/// setting is back once no fit runs. A BLAS call elsewhere in the process during a fit runs
/// single-threaded too; that changes its speed, not its result beyond the last bit.
enum BLASThreads {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var scopes = 0
    nonisolated(unsafe) private static var saved: Int32 = 1

    /// Runs `body` with OpenBLAS at one thread (see the type's comment for why and how).
    static func singleThreaded<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        if scopes == 0 {
            saved = openblas_get_num_threads()
            if saved != 1 { openblas_set_num_threads(1) }
        }
        scopes += 1
        lock.unlock()
        defer {
            lock.lock()
            scopes -= 1
            if scopes == 0 && saved != 1 { openblas_set_num_threads(saved) }
            lock.unlock()
        }
        return try body()
    }

    /// OpenBLAS's current thread count, and how many single-threaded scopes are open (for tests).
    static var state: (threads: Int32, openScopes: Int) {
        lock.lock()
        defer { lock.unlock() }
        return (openblas_get_num_threads(), scopes)
    }
}
