import Foundation

/// A small SVG writer: shapes in user units on a fixed-size canvas, every text escaped, the
/// result one `<svg>` element with an id, a `<title>` and `role="img"` for screen readers.
/// Charts (``LineChart``, ``IntervalBarChart``, ``CalibrationChart``) draw on it; a new chart
/// kind is a value with a `render() -> SVGChart`.
public struct SVGCanvas {
    public let width: Double, height: Double
    private var body: [String] = []

    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    private static func n(_ v: Double) -> String { Markup.number(v) }

    public mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String = "#999", width: Double = 1, dashed: Bool = false) {
        body.append("<line x1=\"\(Self.n(x1))\" y1=\"\(Self.n(y1))\" x2=\"\(Self.n(x2))\" y2=\"\(Self.n(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(Self.n(width))\"\(dashed ? " stroke-dasharray=\"4 3\"" : "")/>")
    }

    public mutating func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, tooltip: String? = nil) {
        body.append("<rect x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" width=\"\(Self.n(max(w, 0)))\" height=\"\(Self.n(max(h, 0)))\" fill=\"\(fill)\">"
                    + (tooltip.map { "<title>\(Markup.escape($0))</title>" } ?? "") + "</rect>")
    }

    public mutating func circle(_ cx: Double, _ cy: Double, r: Double, fill: String, stroke: String? = nil, tooltip: String? = nil, cssClass: String? = nil) {
        body.append("<circle cx=\"\(Self.n(cx))\" cy=\"\(Self.n(cy))\" r=\"\(Self.n(r))\" fill=\"\(fill)\""
                    + (stroke.map { " stroke=\"\($0)\" stroke-width=\"1.5\"" } ?? "")
                    + (cssClass.map { " class=\"\(Markup.escape($0))\"" } ?? "") + ">"
                    + (tooltip.map { "<title>\(Markup.escape($0))</title>" } ?? "") + "</circle>")
    }

    /// An open polyline through `points` (at least two).
    public mutating func polyline(_ points: [(Double, Double)], stroke: String, width: Double = 2) {
        guard points.count >= 2 else { return }
        let list = points.map { "\(Self.n($0.0)),\(Self.n($0.1))" }.joined(separator: " ")
        body.append("<polyline points=\"\(list)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(Self.n(width))\" stroke-linejoin=\"round\"/>")
    }

    /// A closed filled polygon through `points` (at least three), e.g. a forecast's interval band.
    public mutating func polygon(_ points: [(Double, Double)], fill: String, opacity: Double = 1, tooltip: String? = nil) {
        guard points.count >= 3 else { return }
        let list = points.map { "\(Self.n($0.0)),\(Self.n($0.1))" }.joined(separator: " ")
        body.append("<polygon points=\"\(list)\" fill=\"\(fill)\" fill-opacity=\"\(Self.n(opacity))\" stroke=\"none\">"
                    + (tooltip.map { "<title>\(Markup.escape($0))</title>" } ?? "") + "</polygon>")
    }

    public enum Anchor: String { case start, middle, end }

    public mutating func text(_ x: Double, _ y: Double, _ content: String, anchor: Anchor = .start, size: Double = 11, fill: String = "#333", bold: Bool = false) {
        body.append("<text x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" text-anchor=\"\(anchor.rawValue)\" font-size=\"\(Self.n(size))\" fill=\"\(fill)\"\(bold ? " font-weight=\"bold\"" : "")>\(Markup.escape(content))</text>")
    }

    /// The finished chart. `id` is made safe with ``Markup/slug(_:)``.
    public func render(id: String, title: String) -> SVGChart {
        let safeID = "chart-" + Markup.slug(id)
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"\(safeID)\" class=\"chart\" role=\"img\" "
            + "viewBox=\"0 0 \(Self.n(width)) \(Self.n(height))\" width=\"\(Self.n(width))\" height=\"\(Self.n(height))\" "
            + "font-family=\"sans-serif\"><title>\(Markup.escape(title))</title>"
            + "<rect x=\"0\" y=\"0\" width=\"\(Self.n(width))\" height=\"\(Self.n(height))\" fill=\"#ffffff\"/>"
            + body.joined() + "</svg>"
        return SVGChart(id: safeID, title: title, svg: svg)
    }
}

/// One rendered chart: its element id (for tests and links), its title and the SVG markup.
public struct SVGChart: Sendable, Equatable {
    public let id: String
    public let title: String
    public let svg: String
}

/// Linear scale from a data range to a pixel range, with "nice" tick values (1, 2, 5 × 10ᵏ).
public struct LinearScale {
    public let low: Double, high: Double
    public let from: Double, to: Double

    /// A scale covering `values` (widened when flat), optionally from zero.
    public init(values: [Double], from: Double, to: Double, includeZero: Bool = false, clamp: ClosedRange<Double>? = nil) {
        var lo = values.min() ?? 0, hi = values.max() ?? 1
        if includeZero { lo = min(lo, 0); hi = max(hi, 0) }
        if hi - lo < 1e-12 { lo -= max(abs(lo) * 0.1, 0.5); hi += max(abs(hi) * 0.1, 0.5) }
        let pad = (hi - lo) * 0.05
        lo = includeZero && lo == 0 ? 0 : lo - pad
        hi += pad
        if let clamp { lo = max(lo, clamp.lowerBound); hi = min(hi, clamp.upperBound) }
        self.init(low: lo, high: hi, from: from, to: to)
    }

    public init(low: Double, high: Double, from: Double, to: Double) {
        self.low = low; self.high = high; self.from = from; self.to = to
    }

    public func callAsFunction(_ v: Double) -> Double {
        high == low ? (from + to) / 2 : from + (v - low) / (high - low) * (to - from)
    }

    /// About `count` round tick values within the range.
    public func ticks(_ count: Int = 5) -> [Double] {
        let span = high - low
        guard span > 0, span.isFinite else { return [low] }
        let raw = span / Double(max(count, 1))
        let magnitude = Double.pow10(Int((raw.log10).rounded(.down)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        var t = (low / step).rounded(.up) * step
        var out: [Double] = []
        while t <= high + step * 1e-9, out.count < 50 { out.append(abs(t) < step * 1e-9 ? 0 : t); t += step }
        return out
    }
}

private extension Double {
    var log10: Double { Foundation.log10(self) }
    static func pow10(_ k: Int) -> Double { Foundation.pow(10, Double(k)) }
}
