import Foundation
import Primitives
import Store

extension CronSchedule {
    /// How far ahead ``nextRun(after:in:)`` looks: nine years covers `0 0 29 2 *` across a
    /// century year without a leap day (2096 → 2104).
    static let searchDays: Int64 = 9 * 366

    /// The first scheduled instant strictly after `date`, with the schedule read as wall-clock
    /// times in `clock.zone` and daylight-saving changes handled by ``WallClock``'s rule; nil
    /// when the expression never matches (`0 0 30 2 *`).
    ///
    /// Scans matching days from the local date of `date`, then matching hours and minutes, and
    /// returns the first whose instant is later than `date`: the mapping from wall time to instant
    /// never decreases, so that is the earliest. At most 1,440 candidates are resolved on the
    /// first day; later days stop at their first match.
    public func nextRun(after date: Date, in clock: WallClock) -> Date? {
        let after = Int64(date.timeIntervalSince1970.rounded(.down))
        let startWall = clock.wall(at: after)
        let startDay = startWall.floorDiv(86_400)
        let startMinute = startWall.floorMod(86_400) / 60
        for day in startDay..<(startDay + Self.searchDays) {
            let (_, month, dayOfMonth) = CivilDate.date(days: day)
            let weekday = Int((day + 4).floorMod(7))  // 1970-01-01 was a Thursday
            guard matchesDay(month: Int(month), day: Int(dayOfMonth), weekday: weekday) else { continue }
            let firstMinute = day == startDay ? startMinute : 0
            for hour in Int(firstMinute / 60)..<24 where matchesHour(hour) {
                for minute in 0..<60 where matchesMinute(minute) {
                    let minuteOfDay = Int64(hour * 60 + minute)
                    if minuteOfDay < firstMinute { continue }
                    let instant = clock.instant(forWall: day * 86_400 + minuteOfDay * 60)
                    if instant > after { return Date(timeIntervalSince1970: TimeInterval(instant)) }
                }
            }
        }
        return nil
    }
}
