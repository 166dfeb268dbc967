import Testing
import Primitives

/// Reference outputs from an independent implementation of the published algorithms
/// (SplitMix64: Steele, Lea & Flood 2014; xoshiro256**: Blackman & Vigna 2018).
@Suite struct SeededGeneratorTests {
    @Test func splitMix64MatchesTheReference() {
        var g = SplitMix64(seed: 0)
        #expect([g.next(), g.next(), g.next()] == [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F])
    }

    @Test func xoshiroSeededThroughSplitMix64MatchesTheReference() {
        var g = SeededGenerator(seed: 42)
        #expect([g.next(), g.next(), g.next()] == [0x1578_0B2E_0C2E_C716, 0x6104_D986_6D11_3A7E, 0xAE17_5332_39E4_99A1])
    }

    @Test func uniformIsInTheUnitInterval() {
        var g = SeededGenerator(seed: 7)
        for _ in 0..<10_000 {
            let u = g.uniform()
            #expect(u >= 0 && u < 1)
        }
    }
}
