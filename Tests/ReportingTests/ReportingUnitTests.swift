import Foundation
import Reporting
import Statistics
import Testing

/// Pure pieces: the Wilson interval against published values, the sparkline, escaping, scales.
@Suite struct ReportingUnitTests {
    @Test func wilsonIntervalMatchesPublishedValues() {
        // Newcombe (1998), Statistics in Medicine 17:857, table I (95%, no continuity correction):
        // 81/263 → 0.2553–0.3662; 15/148 → 0.0624–0.1605; 0/20 → 0–0.1611; 1/29 → 0.0061–0.1718.
        for (k, n, lo, hi) in [(81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611), (1, 29, 0.0061, 0.1718)] {
            let w = WilsonScoreInterval(successes: k, trials: n)
            #expect(abs(w.lower - lo) < 5e-5 && abs(w.upper - hi) < 5e-5, "\(k)/\(n): \(w.lower)–\(w.upper)")
        }
        #expect(WilsonScoreInterval(successes: 0, trials: 0).lower.isNaN)
        // Two successes in two calls cannot outrank 95 in 100 by the lower bound.
        #expect(WilsonScoreInterval(successes: 2, trials: 2).lower < WilsonScoreInterval(successes: 95, trials: 100).lower)
    }

    @Test func sparklineScalesBetweenItsOwnExtremes() {
        #expect(Sparkline.text([1, 2, 3, 4, 5, 6, 7, 8]) == "▁▂▃▄▅▆▇█")
        #expect(Sparkline.text([3, nil, 3]) == "▄ ▄")
        #expect(Sparkline.text([nil, nil]) == "  ")
        #expect(Sparkline.text([0, 10, 5]) == "▁█▅")
    }

    @Test func markupEscapesEveryQuoteAndDropsControls() {
        #expect(Markup.escape("<a href='x'>\"&\"</a>\u{1B}[31m") == "&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot;&lt;/a&gt;[31m")
        #expect(Markup.slug("calibration-code_acceptance-v1.2") == "calibration-code-acceptance-v1-2")
        #expect(Markup.slug("</script>") == "script")
        #expect(Markup.number(0.1 + 0.2) == "0.3" && Markup.number(.nan) == "0" && Markup.number(12) == "12")
    }

    @Test func scaleTicksAreRound() {
        let s = LinearScale(low: 0, high: 1, from: 0, to: 100)
        let ticks = s.ticks()
        #expect(ticks.count == 6 && zip(ticks, [0, 0.2, 0.4, 0.6, 0.8, 1]).allSatisfy { abs($0 - $1) < 1e-12 }, "\(ticks)")
        #expect(s(0.5) == 50)
        let flat = LinearScale(values: [3, 3], from: 0, to: 10)
        #expect(flat.low < 3 && flat.high > 3)
    }
}
