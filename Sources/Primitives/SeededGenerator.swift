import Foundation

/// SplitMix64 (Steele, Lea & Flood 2014): a small, fast generator whose output depends only on
/// the seed, on every platform and Swift version — unlike `SystemRandomNumberGenerator`. It is
/// also the documented seeding step of ``SeededGenerator``.
public struct SplitMix64: SeededRandom {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// xoshiro256** seeded through ``SplitMix64``: fast, and the same sequence on every platform and run.
public struct SeededGenerator: SeededRandom {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    public init(seed: UInt64) {
        var seeding = SplitMix64(seed: seed)
        s0 = seeding.next(); s1 = seeding.next(); s2 = seeding.next(); s3 = seeding.next()
    }

    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }
}

/// A reproducible generator and the draws built on it (uniform, normal, Poisson, …), the same
/// for every seeded generator of the project.
public protocol SeededRandom: RandomNumberGenerator, Sendable {}

extension SeededRandom {
    /// Uniform in [0, 1) with 53 random bits.
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// True with probability `p`.
    public mutating func bernoulli(_ p: Double) -> Bool { uniform() < p }

    /// Standard normal (Box–Muller, one value per call).
    public mutating func normal() -> Double {
        let u1 = max(uniform(), 0x1.0p-60)
        let u2 = uniform()
        return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
    }

    /// Log-normal with the given median and σ of the log.
    public mutating func logNormal(median: Double, sigma: Double) -> Double { median * Foundation.exp(sigma * normal()) }

    /// Exponential with the given mean.
    public mutating func exponential(mean: Double) -> Double { -mean * Foundation.log(1 - uniform()) }

    /// Poisson (Knuth's method; means here are small).
    public mutating func poisson(_ mean: Double) -> Int {
        guard mean > 0 else { return 0 }
        let limit = Foundation.exp(-mean)
        var k = 0
        var p = uniform()
        while p > limit { k += 1; p *= uniform() }
        return k
    }

    /// Index drawn with probability proportional to `weights`.
    public mutating func pick(_ weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        var x = uniform() * total
        for (i, w) in weights.enumerated() {
            x -= w
            if x < 0 { return i }
        }
        return weights.count - 1
    }

    /// A version-4 UUID in lowercase text.
    /// A version-4-shaped UUID from the next two draws, XORed with `salt` (so that runs with
    /// different salts never share ids while drawing the same random stream).
    public mutating func uuidString(salt: (UInt64, UInt64) = (0, 0)) -> String {
        var a = next() ^ salt.0, b = next() ^ salt.1
        a = (a & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000
        b = (b & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        var out = [UInt8](repeating: 0, count: 36)
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        var k = 0
        for (word, range) in [(a, 0..<16), (b, 16..<32)] {
            for nibble in range {
                if k == 8 || k == 13 || k == 18 || k == 23 { out[k] = 45; k += 1 }
                let shift = UInt64(60 - 4 * (nibble % 16))
                out[k] = hex[Int((word >> shift) & 0xF)]
                k += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
