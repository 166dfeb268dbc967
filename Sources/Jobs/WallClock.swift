import Foundation
import Primitives
import Store

/// Local wall-clock time in an IANA zone, as seconds since 1970-01-01T00:00 *local*, and its
/// mapping to instants across daylight-saving changes.
///
/// The mapping is the scheduler's DST rule. A wall time that occurs once maps to that instant.
/// One that occurs twice (the repeated hour when clocks go back) maps to its **first**
/// occurrence, so a job runs once in the repeated hour. One that does not occur (the skipped
/// hour when clocks go forward) maps to the instant of the change, the next valid time
/// (02:30 on 2026-03-29 in Europe/Berlin runs at 03:00 CEST). The mapping never decreases, so
/// the scheduled instants are the wall times' images in order, with duplicates merged.
public struct WallClock: Sendable {
    /// The zone.
    public let zone: TimeZone
    /// The IANA name as given (Foundation on Linux reports `UTC` as `GMT`; this keeps `UTC`).
    public let identifier: String

    public init(zone: TimeZone) {
        self.zone = zone
        identifier = zone.identifier
    }

    /// Resolves an IANA identifier (`Europe/Berlin`, `UTC`).
    /// - Throws: ``JobsError/Code/invalidDefinition`` when the zone is unknown.
    public init(identifier: String) throws {
        guard !identifier.isEmpty, let zone = TimeZone(identifier: identifier) else {
            throw JobsError(.invalidDefinition, "timezone: unknown IANA time zone \"\(identifier)\" (expected a name such as UTC, Europe/Berlin or America/New_York)")
        }
        self.zone = zone
        self.identifier = identifier
    }

    /// UTC offset in seconds at an instant (seconds since the epoch).
    func offset(at instant: Int64) -> Int64 {
        Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant))))
    }

    /// The wall time at an instant (both in whole seconds).
    func wall(at instant: Int64) -> Int64 { instant + offset(at: instant) }

    /// The instant a wall time runs at under the rule above.
    func instant(forWall wall: Int64) -> Int64 {
        let offsets = Set([offset(at: wall - 86_400), offset(at: wall), offset(at: wall + 86_400)])
        let valid = offsets.map { wall - $0 }.filter { self.wall(at: $0) == wall }
        if let first = valid.min() { return first }
        // In a gap: the change lies in (wall - newOffset, wall - oldOffset]; find it by bisection.
        var low = wall - (offsets.max() ?? 0), high = wall - (offsets.min() ?? 0)
        let before = offset(at: low)
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if offset(at: middle) == before { low = middle } else { high = middle }
        }
        return high
    }

    /// `2026-03-29 03:00 +02:00`: the local date and time of an instant with its UTC offset
    /// (abbreviations such as CEST are not available from Foundation on every platform).
    public func format(_ date: Date) -> String {
        let instant = Int64(date.timeIntervalSince1970.rounded(.down))
        let offset = offset(at: instant)
        let local = instant + offset
        let (days, seconds) = (local.floorDiv(86_400), local.floorMod(86_400))
        let (y, m, d) = CivilDate.date(days: days)
        let sign = offset < 0 ? "-" : "+"
        return String(format: "%04lld-%02lld-%02lld %02lld:%02lld %@%02lld:%02lld", y, m, d, seconds / 3600, (seconds % 3600) / 60,
                      sign, abs(offset) / 3600, (abs(offset) % 3600) / 60)
    }
}

extension Int64 {
    func floorDiv(_ d: Int64) -> Int64 { (self - floorMod(d)) / d }
    func floorMod(_ d: Int64) -> Int64 { let r = self % d; return r < 0 ? r + d : r }
}
