/// A matrix drawn as coloured cells (a spectrogram: time across, bands up), with axes and a colour bar.
public struct HeatMap {
    /// The plot title.
    public let title: String
    /// Row-major values [columns × rows]: column c (time), row r (band) at `values[c·rows + r]`.
    public let values: [Float]
    /// Columns (time frames).
    public let columns: Int
    /// Rows (bands), drawn bottom to top.
    public let rows: Int
    /// The horizontal axis in data units (seconds).
    public let xAxis: Axis
    /// The vertical axis in data units (band index).
    public let yAxis: Axis

    /// Creates a heat map of a frames × bands matrix.
    public init(title: String, values: [Float], columns: Int, rows: Int, xAxis: Axis, yAxis: Axis) {
        precondition(values.count == columns * rows, "heat map needs \(columns * rows) values, got \(values.count)")
        self.title = title
        self.values = values
        self.columns = columns
        self.rows = rows
        self.xAxis = xAxis
        self.yAxis = yAxis
    }

    /// The SVG document; colours span the values' 1st to 99th percentile.
    public func svg(width: Double = 720, height: Double = 360) -> String {
        var canvas = SVGCanvas(width: width, height: height)
        let frame = PlotFrame(width: width, height: height, xAxis: xAxis, yAxis: yAxis, rightMargin: 70)
        let sorted = values.filter { $0.isFinite }.sorted()
        let low = Double(sorted.isEmpty ? 0 : sorted[sorted.count / 100])
        let high = Double(sorted.isEmpty ? 1 : sorted[min(sorted.count - 1, sorted.count * 99 / 100)])
        let span = max(high - low, 1e-9)
        let cellWidth = (frame.right - frame.left) / Double(columns)
        let cellHeight = (frame.bottom - frame.top) / Double(rows)
        for column in 0..<columns {
            for row in 0..<rows {
                let value = (Double(values[column * rows + row]) - low) / span
                canvas.rectangle(x: frame.left + Double(column) * cellWidth, y: frame.bottom - Double(row + 1) * cellHeight,
                                 width: cellWidth + 0.3, height: cellHeight + 0.3, fill: Self.colour(value))
            }
        }
        frame.drawAxes(on: &canvas, title: title)
        // Colour bar.
        let barLeft = frame.right + 16
        for step in 0..<50 {
            let fraction = Double(step) / 49
            canvas.rectangle(x: barLeft, y: frame.bottom - (fraction + 1 / 49) * (frame.bottom - frame.top), width: 14,
                             height: (frame.bottom - frame.top) / 49 + 0.3, fill: Self.colour(fraction))
        }
        canvas.text(Axis.label(high), x: barLeft + 18, y: frame.top + 8, size: 10)
        canvas.text(Axis.label(low), x: barLeft + 18, y: frame.bottom, size: 10)
        return canvas.document
    }

    /// A perceptually ordered colour (viridis, linearly interpolated between 5 anchors) for [0, 1].
    static func colour(_ fraction: Double) -> String {
        let anchors: [(Double, Double, Double)] = [(68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37)]
        let position = min(1, max(0, fraction)) * Double(anchors.count - 1)
        let index = min(anchors.count - 2, Int(position))
        let t = position - Double(index)
        let (r0, g0, b0) = anchors[index], (r1, g1, b1) = anchors[index + 1]
        func mix(_ a: Double, _ b: Double) -> Int { Int((a + (b - a) * t).rounded()) }
        return "rgb(\(mix(r0, r1)),\(mix(g0, g1)),\(mix(b0, b1)))"
    }
}
