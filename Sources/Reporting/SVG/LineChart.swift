import Foundation

/// A daily line chart: one or more series over the same x labels (days), gaps where a value is
/// missing, and optional marked points (anomalies) drawn as red rings with a tooltip.
public struct LineChart {
    public struct Series {
        public var name: String
        public var values: [Double?]
        public var color: String
        public init(name: String, values: [Double?], color: String) {
            self.name = name; self.values = values; self.color = color
        }
    }
    /// A marked point: index into the x labels, the value to place it at, and its tooltip.
    public struct Mark {
        public var index: Int, value: Double, label: String
        public init(index: Int, value: Double, label: String) { self.index = index; self.value = value; self.label = label }
    }

    public var id: String, title: String
    public var xLabels: [String]
    public var series: [Series]
    public var marks: [Mark] = []
    /// How y tick labels are written (a ``ValueFormat`` unit).
    public var unit: String
    public var width = 760.0, height = 260.0

    public init(id: String, title: String, xLabels: [String], series: [Series], marks: [Mark] = [], unit: String) {
        self.id = id; self.title = title; self.xLabels = xLabels; self.series = series; self.marks = marks; self.unit = unit
    }

    public func render() -> SVGChart {
        var c = SVGCanvas(width: width, height: height)
        let left = 64.0, right = width - 16, top = 28.0, bottom = height - 34
        c.text(left, 18, title, size: 13, bold: true)
        let values = series.flatMap { $0.values.compactMap { $0 } }.filter(\.isFinite) + marks.map(\.value)
        let y = LinearScale(values: values, from: bottom, to: top, includeZero: unit == "count",
                            clamp: unit == "rate" ? 0...1 : nil)
        let count = max(xLabels.count, 1)
        func x(_ i: Int) -> Double { count == 1 ? (left + right) / 2 : left + Double(i) / Double(count - 1) * (right - left) }
        for t in y.ticks() {
            c.line(left, y(t), right, y(t), stroke: "#e5e5e5")
            c.text(left - 6, y(t) + 4, ValueFormat.value(t, unit: unit == "count" ? "count" : unit), anchor: .end, size: 10, fill: "#666")
        }
        c.line(left, bottom, right, bottom, stroke: "#888")
        for i in Set([0, count / 2, count - 1]).sorted() where i < xLabels.count {
            let anchor: SVGCanvas.Anchor = count == 1 ? .middle : i == 0 ? .start : i == count - 1 ? .end : .middle
            c.text(x(i), bottom + 16, xLabels[i], anchor: anchor, size: 10, fill: "#666")
        }
        if values.isEmpty { c.text((left + right) / 2, (top + bottom) / 2, "no data in this window", anchor: .middle, fill: "#999") }
        for s in series {
            var run: [(Double, Double)] = []
            for (i, v) in s.values.enumerated() {
                if let v, v.isFinite {
                    run.append((x(i), y(v)))
                } else {
                    flush(&run, &c, s.color)
                }
            }
            flush(&run, &c, s.color)
        }
        for m in marks where m.index >= 0 && m.index < count {
            c.circle(x(m.index), y(m.value), r: 6, fill: "none", stroke: "#d62728", tooltip: m.label, cssClass: "anomaly")
        }
        if series.count > 1 {
            var lx = left + 220
            for s in series {
                c.rect(lx, 10, 10, 10, fill: s.color)
                c.text(lx + 14, 19, s.name, size: 10)
                lx += 24 + Double(s.name.count) * 6
            }
        }
        return c.render(id: id, title: title)
    }

    /// Draws a run of consecutive points (a lone point as a dot) and starts a new one.
    private func flush(_ run: inout [(Double, Double)], _ c: inout SVGCanvas, _ color: String) {
        if run.count == 1 { c.circle(run[0].0, run[0].1, r: 2, fill: color) }
        c.polyline(run, stroke: color)
        run.removeAll()
    }
}

/// A ranked horizontal bar chart with an interval whisker per bar (for example success rates
/// with their Wilson 95% intervals), best first.
public struct IntervalBarChart {
    public struct Bar {
        public var label: String
        public var value: Double, lower: Double, upper: Double
        public var note: String
        public init(label: String, value: Double, lower: Double, upper: Double, note: String = "") {
            self.label = label; self.value = value; self.lower = lower; self.upper = upper; self.note = note
        }
    }
    public var id: String, title: String
    public var bars: [Bar]
    public var unit: String
    public var width = 760.0

    public init(id: String, title: String, bars: [Bar], unit: String) {
        self.id = id; self.title = title; self.bars = bars; self.unit = unit
    }

    public func render() -> SVGChart {
        let rowHeight = 22.0, top = 30.0
        let height = top + Double(max(bars.count, 1)) * rowHeight + 30
        var c = SVGCanvas(width: width, height: height)
        let left = 170.0, right = width - 110
        c.text(12, 18, title, size: 13, bold: true)
        let finite = bars.flatMap { [$0.value, $0.lower, $0.upper] }.filter(\.isFinite)
        let x = unit == "rate" ? LinearScale(low: 0, high: 1, from: left, to: right)
                               : LinearScale(values: finite, from: left, to: right, includeZero: true)
        let bottom = top + Double(bars.count) * rowHeight
        for t in x.ticks() {
            c.line(x(t), top - 4, x(t), bottom, stroke: "#eeeeee")
            c.text(x(t), bottom + 14, ValueFormat.value(t, unit: unit), anchor: .middle, size: 10, fill: "#666")
        }
        if bars.isEmpty { c.text((left + right) / 2, top + 14, "no data in this window", anchor: .middle, fill: "#999") }
        for (i, bar) in bars.enumerated() {
            let yMid = top + Double(i) * rowHeight + rowHeight / 2
            c.text(left - 8, yMid + 4, bar.label, anchor: .end, size: 11)
            guard bar.value.isFinite else { continue }
            let tooltip = "\(bar.label): \(ValueFormat.value(bar.value, unit: unit)) [\(ValueFormat.value(bar.lower, unit: unit)), \(ValueFormat.value(bar.upper, unit: unit))]"
            c.rect(left, yMid - 7, x(bar.value) - left, 14, fill: "#4e79a7", tooltip: tooltip)
            if bar.lower.isFinite, bar.upper.isFinite {
                c.line(x(bar.lower), yMid, x(bar.upper), yMid, stroke: "#222", width: 1.5)
                c.line(x(bar.lower), yMid - 5, x(bar.lower), yMid + 5, stroke: "#222", width: 1.5)
                c.line(x(bar.upper), yMid - 5, x(bar.upper), yMid + 5, stroke: "#222", width: 1.5)
            }
            c.text(right + 8, yMid + 4, ValueFormat.value(bar.value, unit: unit) + (bar.note.isEmpty ? "" : "  " + bar.note), size: 10, fill: "#444")
        }
        return c.render(id: id, title: title)
    }
}

/// A reliability diagram: mean predicted probability against observed frequency per bin, with
/// the diagonal of perfect calibration; point size grows with the bin's count when known.
public struct CalibrationChart {
    public var id: String, title: String
    public var points: [(predicted: Double, observed: Double, count: Int?)]

    public init(id: String, title: String, points: [(predicted: Double, observed: Double, count: Int?)]) {
        self.id = id; self.title = title; self.points = points
    }

    public func render() -> SVGChart {
        let size = 320.0
        var c = SVGCanvas(width: size, height: size + 20)
        let left = 48.0, right = size - 16, top = 30.0, bottom = size - 20
        c.text(12, 18, title, size: 12, bold: true)
        let x = LinearScale(low: 0, high: 1, from: left, to: right), y = LinearScale(low: 0, high: 1, from: bottom, to: top)
        for t in stride(from: 0.0, through: 1.0, by: 0.25) {
            c.line(x(t), top, x(t), bottom, stroke: "#eeeeee")
            c.line(left, y(t), right, y(t), stroke: "#eeeeee")
            c.text(x(t), bottom + 14, String(format: "%.2f", t), anchor: .middle, size: 9, fill: "#666")
            c.text(left - 4, y(t) + 3, String(format: "%.2f", t), anchor: .end, size: 9, fill: "#666")
        }
        c.line(x(0), y(0), x(1), y(1), stroke: "#999", dashed: true)
        c.text((left + right) / 2, size + 12, "mean predicted probability", anchor: .middle, size: 10, fill: "#444")
        let sorted = points.filter { $0.predicted.isFinite && $0.observed.isFinite }.sorted { $0.predicted < $1.predicted }
        c.polyline(sorted.map { (x(min(max($0.predicted, 0), 1)), y(min(max($0.observed, 0), 1))) }, stroke: "#4e79a7")
        let largest = Double(sorted.compactMap(\.count).max() ?? 1)
        for p in sorted {
            let r = p.count.map { 3 + 5 * (Double($0) / max(largest, 1)).squareRoot() } ?? 4
            c.circle(x(min(max(p.predicted, 0), 1)), y(min(max(p.observed, 0), 1)), r: r, fill: "#4e79a7",
                     tooltip: String(format: "predicted %.3f, observed %.3f", p.predicted, p.observed) + (p.count.map { ", n = \($0)" } ?? ""))
        }
        return c.render(id: id, title: title)
    }
}
