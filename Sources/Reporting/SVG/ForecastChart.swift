import Foundation

/// A forecast chart: the history as a line, then the point forecast as a dashed line inside its
/// prediction bands (the wider, lighter band first, e.g. 95% behind 80%), and an optional
/// horizontal threshold (an alert level). Days are x labels: history first, then forecast days.
public struct ForecastChart {
    /// One prediction band: nominal level (0.8 for 80%) and its bounds per forecast step.
    public struct Band {
        public var level: Double
        public var lower: [Double], upper: [Double]
        public init(level: Double, lower: [Double], upper: [Double]) {
            self.level = level; self.lower = lower; self.upper = upper
        }
    }

    public var id: String, title: String
    public var historyDays: [String], history: [Double]
    public var forecastDays: [String], forecast: [Double]
    public var bands: [Band]
    public var threshold: (value: Double, label: String)?
    /// How y tick labels are written (a ``ValueFormat`` unit).
    public var unit: String
    public var width = 760.0, height = 280.0

    public init(id: String, title: String, historyDays: [String], history: [Double], forecastDays: [String], forecast: [Double],
                bands: [Band], threshold: (value: Double, label: String)? = nil, unit: String) {
        self.id = id; self.title = title; self.historyDays = historyDays; self.history = history
        self.forecastDays = forecastDays; self.forecast = forecast; self.bands = bands; self.threshold = threshold; self.unit = unit
    }

    public func render() -> SVGChart {
        var c = SVGCanvas(width: width, height: height)
        let left = 64.0, right = width - 16, top = 28.0, bottom = height - 34
        c.text(left, 18, title, size: 13, bold: true)
        let labels = historyDays + forecastDays
        let values = (history + forecast + bands.flatMap { $0.lower + $0.upper } + (threshold.map { [$0.value] } ?? [])).filter(\.isFinite)
        let y = LinearScale(values: values, from: bottom, to: top, includeZero: false, clamp: nil)
        let count = max(labels.count, 1)
        func x(_ i: Int) -> Double { count == 1 ? (left + right) / 2 : left + Double(i) / Double(count - 1) * (right - left) }
        for t in y.ticks() {
            c.line(left, y(t), right, y(t), stroke: "#e5e5e5")
            c.text(left - 6, y(t) + 4, ValueFormat.value(t, unit: unit), anchor: .end, size: 10, fill: "#666")
        }
        c.line(left, bottom, right, bottom, stroke: "#888")
        for i in Set([0, historyDays.count, count - 1]).sorted() where i < labels.count {
            let anchor: SVGCanvas.Anchor = i == 0 ? .start : i == count - 1 ? .end : .middle
            c.text(x(i), bottom + 16, labels[i], anchor: anchor, size: 10, fill: "#666")
        }
        if values.isEmpty { c.text((left + right) / 2, (top + bottom) / 2, "no data", anchor: .middle, fill: "#999") }
        let start = historyDays.count
        // Widest band first so the narrower one is drawn on top of it.
        for band in bands.sorted(by: { $0.level > $1.level }) {
            let steps = min(band.lower.count, band.upper.count, forecastDays.count)
            let upper = (0..<steps).filter { band.upper[$0].isFinite }.map { (x(start + $0), y(band.upper[$0])) }
            let lower = (0..<steps).filter { band.lower[$0].isFinite }.reversed().map { (x(start + $0), y(band.lower[$0])) }
            c.polygon(upper + lower, fill: "#f28e2b", opacity: band.level >= 0.9 ? 0.18 : 0.35,
                      tooltip: "\(Int((band.level * 100).rounded()))% prediction interval")
        }
        c.polyline(history.enumerated().filter { $0.element.isFinite }.map { (x($0.offset), y($0.element)) }, stroke: "#4e79a7")
        var path = forecast.enumerated().filter { $0.element.isFinite }.map { (x(start + $0.offset), y($0.element)) }
        if let last = history.last, last.isFinite, start > 0 { path.insert((x(start - 1), y(last)), at: 0) }
        c.polyline(path, stroke: "#e15759")
        if start > 0, !forecast.isEmpty { c.line(x(start - 1), top, x(start - 1), bottom, stroke: "#bbb", dashed: true) }
        if let threshold, threshold.value.isFinite {
            c.line(left, y(threshold.value), right, y(threshold.value), stroke: "#b42318", width: 1.2, dashed: true)
            c.text(right, y(threshold.value) - 4, threshold.label, anchor: .end, size: 10, fill: "#b42318")
        }
        var lx = left + 260
        for (name, color) in [("history", "#4e79a7"), ("forecast", "#e15759")] + bands.sorted(by: { $0.level < $1.level }).map({ ("\(Int(($0.level * 100).rounded()))%", "#f28e2b") }) {
            c.rect(lx, 10, 10, 10, fill: color)
            c.text(lx + 14, 19, name, size: 10)
            lx += 24 + Double(name.count) * 6
        }
        return c.render(id: id, title: title)
    }
}
