/// Several plots side by side in one SVG document (each panel a nested `<svg>`).
public enum FigurePanels {
    /// Lays `plots` out in one row, each `panelWidth` × `panelHeight`.
    public static func row(_ plots: [LinePlot], panelWidth: Double = 560, panelHeight: Double = 400) -> String {
        var canvas = SVGCanvas(width: panelWidth * Double(max(plots.count, 1)), height: panelHeight)
        for (index, plot) in plots.enumerated() {
            // Drop the XML declaration and give the nested document its offset.
            let inner = plot.svg(width: panelWidth, height: panelHeight)
                .split(separator: "\n", omittingEmptySubsequences: false).dropFirst().joined(separator: "\n")
                .replacingOccurrences(of: "<svg xmlns=\"http://www.w3.org/2000/svg\" ", with: "<svg x=\"\(SVGCanvas.number(panelWidth * Double(index)))\" y=\"0\" ")
            canvas.raw(inner.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return canvas.document
    }
}
