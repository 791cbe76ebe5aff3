/// A line chart with axes, ticks, a title and a legend, rendered to SVG.
public struct LinePlot {
    /// One named line.
    public struct Series {
        /// The legend entry.
        public let name: String
        /// The points in data coordinates.
        public let points: [(x: Double, y: Double)]
        /// Creates a series.
        public init(name: String, points: [(x: Double, y: Double)]) {
            self.name = name
            self.points = points
        }
    }

    /// Colours for successive series (colour-blind safe, Okabe–Ito).
    public static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]

    /// The plot title.
    public let title: String
    /// The horizontal axis.
    public let xAxis: Axis
    /// The vertical axis.
    public let yAxis: Axis
    /// The lines, drawn in order.
    public let series: [Series]
    /// Shaded vertical bands [x0, x1) drawn under the lines (VAD segments, for example).
    public var bands: [(lower: Double, upper: Double)] = []
    /// Whether to draw the diagonal y = x (for EER on DET curves).
    public var diagonal = false
    /// A marked point with its confidence interval drawn as bars along the diagonal from
    /// (lower, lower) to (upper, upper), and its label (the EER on a DET curve).
    public var intervalMarker: (value: Double, lower: Double, upper: Double, label: String)?

    /// Creates a plot.
    public init(title: String, xAxis: Axis, yAxis: Axis, series: [Series]) {
        self.title = title
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.series = series
    }

    /// The SVG document.
    public func svg(width: Double = 640, height: Double = 420) -> String {
        var canvas = SVGCanvas(width: width, height: height)
        let frame = PlotFrame(width: width, height: height, xAxis: xAxis, yAxis: yAxis)
        frame.drawAxes(on: &canvas, title: title)
        for band in bands {
            let x0 = frame.x(band.lower), x1 = frame.x(band.upper)
            canvas.rectangle(x: x0, y: frame.top, width: max(0.5, x1 - x0), height: frame.bottom - frame.top, fill: "#009E73", opacity: 0.18)
        }
        if diagonal {
            canvas.line(x1: frame.left, y1: frame.bottom, x2: frame.right, y2: frame.top, stroke: "#999", width: 1)
        }
        for (index, line) in series.enumerated() {
            canvas.polyline(line.points.map { (frame.x($0.x), frame.y($0.y)) }, stroke: Self.palette[index % Self.palette.count])
        }
        if let marker = intervalMarker {
            let (x0, y0) = (frame.x(marker.lower), frame.y(marker.lower))
            let (x1, y1) = (frame.x(marker.upper), frame.y(marker.upper))
            let (x, y) = (frame.x(marker.value), frame.y(marker.value))
            canvas.line(x1: x0, y1: y0, x2: x1, y2: y1, stroke: "#D55E00", width: 3)
            for (px, py) in [(x0, y0), (x1, y1)] { canvas.line(x1: px - 4, y1: py - 4, x2: px + 4, y2: py + 4, stroke: "#D55E00", width: 1.5) }
            canvas.raw("<circle cx=\"\(SVGCanvas.number(x))\" cy=\"\(SVGCanvas.number(y))\" r=\"4\" fill=\"#D55E00\"/>")
            canvas.text(marker.label, x: x + 8, y: y - 8, size: 11)
        }
        if series.count > 1 || (series.first.map { !$0.name.isEmpty } ?? false) {
            for (index, line) in series.enumerated() {
                let y = frame.top + 14 + Double(index) * 16
                canvas.line(x1: frame.right - 130, y1: y - 4, x2: frame.right - 110, y2: y - 4, stroke: Self.palette[index % Self.palette.count], width: 2.5)
                canvas.text(line.name, x: frame.right - 105, y: y, size: 11)
            }
        }
        return canvas.document
    }
}

/// The drawing area inside a plot's margins, with its axes and the data-to-pixel mapping.
struct PlotFrame {
    let left: Double, right: Double, top: Double, bottom: Double
    let xAxis: Axis, yAxis: Axis

    init(width: Double, height: Double, xAxis: Axis, yAxis: Axis, rightMargin: Double = 20) {
        left = 64
        right = width - rightMargin
        top = 36
        bottom = height - 50
        self.xAxis = xAxis
        self.yAxis = yAxis
    }

    func x(_ value: Double) -> Double { left + xAxis.fraction(value) * (right - left) }
    func y(_ value: Double) -> Double { bottom - yAxis.fraction(value) * (bottom - top) }

    func drawAxes(on canvas: inout SVGCanvas, title: String) {
        canvas.text(title, x: (left + right) / 2, y: 22, size: 14, anchor: "middle", weight: "bold")
        for tick in xAxis.ticks {
            let position = x(tick.value)
            canvas.line(x1: position, y1: top, x2: position, y2: bottom, stroke: "#e5e5e5")
            canvas.line(x1: position, y1: bottom, x2: position, y2: bottom + 5)
            canvas.text(tick.label, x: position, y: bottom + 18, size: 11, anchor: "middle")
        }
        for tick in yAxis.ticks {
            let position = y(tick.value)
            canvas.line(x1: left, y1: position, x2: right, y2: position, stroke: "#e5e5e5")
            canvas.line(x1: left - 5, y1: position, x2: left, y2: position)
            canvas.text(tick.label, x: left - 8, y: position + 4, size: 11, anchor: "end")
        }
        canvas.rectangle(x: left, y: top, width: right - left, height: bottom - top, fill: "none", stroke: "#000")
        canvas.text(xAxis.title, x: (left + right) / 2, y: bottom + 38, size: 12, anchor: "middle")
        canvas.text(yAxis.title, x: 16, y: (top + bottom) / 2, size: 12, anchor: "middle", rotate: -90)
    }
}
