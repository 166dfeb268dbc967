import Foundation
import Testing
@testable import Statistics

/// NAB's scoring rules on cases computed by hand. 2σ(x) − 1 = tanh(x/2), so NAB's scaled
/// sigmoid 2σ(−5y) − 1 is tanh(−5y/2); the expectations below use tanh, not the code's form.
@Suite struct NABScoreTests {
    let maxTP = tanh(2.5)   // the scaled sigmoid at the left edge, y = −1

    @Test func probationIsFifteenPercentCappedAt750Rows() {
        #expect(NABScore.probationaryLength(rows: 100) == 15)
        #expect(NABScore.probationaryLength(rows: 4032) == 604)
        #expect(NABScore.probationaryLength(rows: 22695) == 750)
    }

    @Test func earliestDetectionInAWindowScoresTheTrueWeight() {
        // 100 rows, window rows 50…59 (width 10): a detection at 50 sits at y = −(59−50+1)/10 = −1
        let s = NABScore.score(rows: 100, detections: [50], windows: [50...59])
        #expect(abs(s.raw - 1) < 1e-12)
        #expect(s.null == -1 && s.perfect == 1)
        #expect(abs(s.normalized - 100) < 1e-10)
        #expect(s.detectedWindows == 1 && s.falsePositives == 0)
    }

    @Test func lateDetectionScoresLessAndOnlyTheBestInAWindowCounts() {
        // at the right edge, y = −1/10: tanh(0.25)/tanh(2.5); a second, later detection adds nothing
        let s = NABScore.score(rows: 100, detections: [59, 58], windows: [50...59])
        let expected = tanh(0.25 * 2) / maxTP   // y = −2/10 for row 58, the better of the two
        #expect(abs(s.raw - expected) < 1e-12)
        #expect(abs(s.normalized - 100 * (expected + 1) / 2) < 1e-10)
    }

    @Test func falsePositivesAfterAWindowAreWeightedByDistance() {
        // FP at row 70 after window 50…59: y = |59 − 70|/(10 − 1) = 11/9; the window is missed
        let s = NABScore.score(rows: 100, detections: [70], windows: [50...59])
        let fp = 0.11 * tanh(-2.5 * 11 / 9)
        #expect(abs(s.raw - (fp - 1)) < 1e-12)
        #expect(s.falsePositives == 1 && s.detectedWindows == 0)
        // an FP far beyond (y ≥ 3) and one before any window both cost the full fpWeight
        let far = NABScore.score(rows: 200, detections: [40, 150], windows: [50...59])   // probation: rows 0…29
        #expect(abs(far.raw - (-0.11 - 0.11 - 1)) < 1e-12)
    }

    @Test func probationaryDetectionsAndWindowsAreNotScored() {
        // rows 0…14 are probationary: the detection at 10 is ignored, the window 2…8 is not scored
        let s = NABScore.score(rows: 100, detections: [10, 3], windows: [2...8, 50...59])
        #expect(s.null == -1)          // only the second window is scored
        #expect(s.perfect == 2)        // NAB's perfect counts every labelled window
        #expect(abs(s.raw - (-1)) < 1e-12)
        #expect(s.falsePositives == 0)
    }

    @Test func corpusScoreSumsBeforeNormalising() {
        let a = NABScore.score(rows: 100, detections: [50], windows: [50...59])      // raw 1, null −1
        let b = NABScore.score(rows: 100, detections: [], windows: [50...59, 70...79]) // raw −2, null −2
        // (1 − 2 − (−1 − 2)) / (3 − (−3)) = 2/6
        #expect(abs(NABScore.normalized([a, b]) - 100.0 / 3) < 1e-10)
    }
}
