import Foundation

/// A minimal SVG writer: elements appended in drawing order, text escaped, numbers short.
public struct SVGCanvas {
    /// Width in pixels.
    public let width: Double
    /// Height in pixels.
    public let height: Double
    private var elements: [String] = []

    /// Creates an empty canvas with a white background.
    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
        elements.append(#"<rect x="0" y="0" width="\#(Self.number(width))" height="\#(Self.number(height))" fill="white"/>"#)
    }

    /// Appends a line segment.
    public mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String = "#000", width: Double = 1) {
        elements.append(#"<line x1="\#(Self.number(x1))" y1="\#(Self.number(y1))" x2="\#(Self.number(x2))" y2="\#(Self.number(y2))" stroke="\#(stroke)" stroke-width="\#(Self.number(width))"/>"#)
    }

    /// Appends a polyline through points.
    public mutating func polyline(_ points: [(Double, Double)], stroke: String, width: Double = 1.5) {
        guard !points.isEmpty else { return }
        let text = points.map { "\(Self.number($0.0)),\(Self.number($0.1))" }.joined(separator: " ")
        elements.append(#"<polyline points="\#(text)" fill="none" stroke="\#(stroke)" stroke-width="\#(Self.number(width))" stroke-linejoin="round"/>"#)
    }

    /// Appends a filled rectangle.
    public mutating func rectangle(x: Double, y: Double, width: Double, height: Double, fill: String, opacity: Double = 1, stroke: String? = nil) {
        var element = #"<rect x="\#(Self.number(x))" y="\#(Self.number(y))" width="\#(Self.number(width))" height="\#(Self.number(height))" fill="\#(fill)""#
        if opacity < 1 { element += #" fill-opacity="\#(Self.number(opacity))""# }
        if let stroke { element += #" stroke="\#(stroke)""# }
        elements.append(element + "/>")
    }

    /// Appends text; `anchor` is start, middle or end; `rotate` turns it about its anchor point.
    public mutating func text(_ content: String, x: Double, y: Double, size: Double = 12, anchor: String = "start", rotate: Double = 0, weight: String = "normal") {
        var element = #"<text x="\#(Self.number(x))" y="\#(Self.number(y))" font-family="sans-serif" font-size="\#(Self.number(size))" text-anchor="\#(anchor)""#
        if weight != "normal" { element += #" font-weight="\#(weight)""# }
        if rotate != 0 { element += #" transform="rotate(\#(Self.number(rotate)) \#(Self.number(x)) \#(Self.number(y)))""# }
        elements.append(element + ">" + Self.escape(content) + "</text>")
    }

    /// Appends a raw, already valid SVG element.
    public mutating func raw(_ element: String) { elements.append(element) }

    /// The complete SVG document.
    public var document: String {
        #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n" +
            #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(Self.number(width))" height="\#(Self.number(height))" viewBox="0 0 \#(Self.number(width)) \#(Self.number(height))">"# + "\n" +
            elements.joined(separator: "\n") + "\n</svg>\n"
    }

    /// XML-escapes text content.
    public static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// A coordinate with at most two decimals.
    static func number(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
