import Testing
import Primitives

/// Expected instants computed by hand from the civil calendar (and checked against Python's
/// `datetime`): 2026-01-05 is 1,767,571,200 s, 2024-02-29 is 1,709,164,800 s after the epoch.
@Suite struct TimestampTextTests {
    let jan5: Int64 = 1_767_571_200

    @Test func rfc3339OffsetsUpToFifteenFiftyNine() {
        #expect(TimestampText.microseconds("2026-01-05T00:00:00Z", form: .rfc3339) == jan5 * 1_000_000)
        #expect(TimestampText.microseconds("2026-01-05T00:00:00+15:59", form: .rfc3339) == (jan5 - 57_540) * 1_000_000)
        #expect(TimestampText.microseconds("2026-01-05T00:00:00-15:59", form: .rfc3339) == (jan5 + 57_540) * 1_000_000)
        for bad in ["2026-01-05T00:00:00+16:00", "2026-01-05T00:00:00-16:00", "2026-01-05T00:00:00+15:60",
                    "2026-01-05T00:00:00+0100", "2026-01-05T00:00:00", "2026-01-05", "2026-01",
                    "2026-01-05T00:00Z", "2026-01-05T00:00:00,5Z", "0000-01-01T00:00:00Z",
                    "2026-01-05T00:00:00.1234567890Z", "2026-01-05T00:00:00Zjunk"] {
            #expect(TimestampText.microseconds(bad, form: .rfc3339) == nil, "\(bad)")
        }
    }

    @Test func leapDays() {
        #expect(TimestampText.seconds(rfc3339: "2024-02-29T00:00:00Z") == 1_709_164_800)
        #expect(TimestampText.seconds(rfc3339: "2000-02-29T12:00:00.250Z") == 951_825_600.25)
        for form in [TimestampText.Form.rfc3339, .postgres, .local] {
            #expect(TimestampText.microseconds("2023-02-29T00:00:00Z", form: form) == nil)
            #expect(TimestampText.microseconds("1900-02-29T00:00:00Z", form: form) == nil)  // century, not leap
            #expect(TimestampText.microseconds("2024-04-31T00:00:00Z", form: form) == nil)
        }
        #expect(TimestampText.format(microseconds: 1_709_164_800_000_000) == "2024-02-29T00:00:00Z")
        #expect(TimestampText.format(microseconds: (1_709_164_800 + 86_399) * 1_000_000) == "2024-02-29T23:59:59Z")
    }

    @Test func fractionsRoundHalfToEvenBeyondMicroseconds() {
        func micros(_ fraction: String) -> Int64? {
            TimestampText.microseconds("1970-01-01T00:00:00.\(fraction)Z", form: .rfc3339)
        }
        #expect(micros("5") == 500_000)
        #expect(micros("000250") == 250)
        #expect(micros("0000005") == 0)      // tie, 0 is even
        #expect(micros("0000015") == 2)      // tie, 1 is odd
        #expect(micros("00000051") == 1)     // above the tie
        #expect(micros("123456789") == 123_457)
        #expect(TimestampText.microseconds("1970-01-01 00:00:00.0000005000001", form: .postgres) == 1)
    }

    @Test func postgresForms() {
        let noon: Int64 = 1_714_564_800  // 2024-05-01 12:00:00 UTC
        #expect(TimestampText.microseconds("2024-05-01 12:00:00.00025+00", form: .postgres) == noon * 1_000_000 + 250)
        #expect(TimestampText.microseconds("2024-05-01 12:00:00+05:30", form: .postgres) == (noon - 19_800) * 1_000_000)
        #expect(TimestampText.microseconds("2024-05-01 12:00:00-0530", form: .postgres) == (noon + 19_800) * 1_000_000)
        #expect(TimestampText.microseconds("2024-05-01 12:00:00+05:30:15", form: .postgres) == (noon - 19_815) * 1_000_000)
        #expect(TimestampText.microseconds("2024-05-01 12:00:00,5", form: .postgres) == noon * 1_000_000 + 500_000)
        #expect(TimestampText.microseconds("2024-05-01", form: .postgres) == (noon - 43_200) * 1_000_000)
        #expect(TimestampText.microseconds("2024-05-01T12:00:00Z", form: .postgres) == noon * 1_000_000)
        for bad in ["2024-02-30", "2024-05-01 12:00:00+16", "2024-05-01 12:00", "2024-05", "2024-05-01 24:00:00"] {
            #expect(TimestampText.microseconds(bad, form: .postgres) == nil, "\(bad)")
        }
    }

    @Test func localFormsOfDataFilesReadAsUTC() {
        let evening: Int64 = 1_386_018_900_000_000  // 2013-12-02 21:15:00 UTC
        let parsed = TimestampText.microseconds("2013-12-02 21:15:00", form: .local)
        #expect(parsed == evening)
        #expect(TimestampText.microseconds("2013-12-02 21:15", form: .local) == evening)
        #expect(TimestampText.microseconds("1949-01", form: .local) == -662_688_000 * 1_000_000)
        #expect(TimestampText.microseconds("1949", form: .local) == -662_688_000 * 1_000_000)
        for bad in ["1949-13", "1949-1", "2013-12-02 21:15.5", "2013-12-02 21", "49-01"] {
            #expect(TimestampText.microseconds(bad, form: .local) == nil, "\(bad)")
        }
        #expect(TimestampText.microseconds("1949-01", form: .postgres) == nil)
        #expect(TimestampText.microseconds("2013-12-02 21:15", form: .rfc3339) == nil)
    }

    @Test func formats() {
        #expect(TimestampText.format(microseconds: -1) == "1969-12-31T23:59:59.999999Z")
        #expect(TimestampText.format(microseconds: 250) == "1970-01-01T00:00:00.000250Z")
        #expect(TimestampText.formatMicroseconds(0) == "1970-01-01T00:00:00.000000Z")
        #expect(TimestampText.format(secondsSince1970: -0.0005) == "1969-12-31T23:59:59.999Z")
        #expect(TimestampText.format(secondsSince1970: -2_203_891_200) == "1900-03-01T00:00:00.000Z")
    }

    @Test func civilDateRoundTrips() {
        #expect(CivilDate.days(year: 2000, month: 3, day: 1) == 11_017)
        #expect(CivilDate.days(year: 1900, month: 3, day: 1) == -25_508)
        for days in stride(from: Int64(-800_000), through: 800_000, by: 997) {
            let d = CivilDate.date(days: days)
            #expect(CivilDate.days(year: d.year, month: d.month, day: d.day) == days)
        }
    }
}
