import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import TestSupport
@testable import Reports

/// Collects element names while parsing, and whether the document is well-formed XML.
final class ElementCounter: NSObject, XMLParserDelegate {
    var counts: [String: Int] = [:]
    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        counts[elementName, default: 0] += 1
    }

    static func parse(_ document: String) -> (valid: Bool, counts: [String: Int]) {
        let parser = XMLParser(data: Data(document.utf8))
        let counter = ElementCounter()
        parser.delegate = counter
        return (parser.parse(), counter.counts)
    }
}

@Suite struct PlotTests {
    @Test func aLinePlotIsValidSVGWithAxesTicksAndLegend() throws {
        let plot = LinePlot(title: "loss & accuracy <epoch>", xAxis: Axis(title: "epoch", lower: 0, upper: 10),
                            yAxis: Axis(title: "loss", lower: 0, upper: 2),
                            series: [.init(name: "train", points: (0...10).map { (Double($0), 2 / Double($0 + 1)) }),
                                     .init(name: "validation", points: (0...10).map { (Double($0), 2.2 / Double($0 + 1)) })])
        let document = plot.svg()
        let parsed = ElementCounter.parse(document)
        #expect(parsed.valid)
        #expect(parsed.counts["polyline"] == 2)
        #expect(document.contains(">train</text>") && document.contains(">validation</text>"))
        #expect(document.contains("loss &amp; accuracy &lt;epoch&gt;"))
        #expect(document.contains(">epoch</text>"))
        try renders(document)
    }

    @Test func aProbitAxisPlacesTheMedianInTheMiddle() {
        let axis = Axis(title: "miss", lower: 0.001, upper: 0.999, scale: .probit)
        #expect(abs(axis.fraction(0.5) - 0.5) < 1e-9)
        #expect(abs(Axis.probit(0.975) - 1.959964) < 1e-5)
        #expect(axis.ticks.map(\.label).contains("1%"))
    }

    @Test func aHeatMapHasOneCellPerValue() throws {
        let map = HeatMap(title: "log-mel", values: (0..<60).map(Float.init), columns: 6, rows: 10,
                          xAxis: Axis(title: "time (s)", lower: 0, upper: 0.06), yAxis: Axis(title: "mel band", lower: 0, upper: 10))
        let document = map.svg()
        let parsed = ElementCounter.parse(document)
        #expect(parsed.valid)
        // 60 cells + background + frame + 50 colour-bar steps.
        #expect(parsed.counts["rect"] == 60 + 2 + 50)
        try renders(document)
    }

    @Test func tablesRenderExactly() throws {
        var table = Table(header: ["model", "eer", "note"])
        table.append(["deepspeaker", "0.0815541", "era A"])
        table.append(["se-resnet", "0.0469595", "a, \"quoted\" note"])
        #expect(table.markdown == """
        | model       |       eer | note             |
        |-------------|----------:|------------------|
        | deepspeaker | 0.0815541 | era A            |
        | se-resnet   | 0.0469595 | a, "quoted" note |

        """)
        #expect(table.csv == "model,eer,note\ndeepspeaker,0.0815541,era A\nse-resnet,0.0469595,\"a, \"\"quoted\"\" note\"\n")
        #expect(try CSV.parse(table.csv) == table)
    }

    /// Renders with `rsvg-convert` when it is installed (the Makefile installs it), proving a real renderer accepts it.
    func renders(_ document: String) throws {
        // scripts/setup.sh (run by `make test`) installs librsvg2-bin.
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/rsvg-convert"), "rsvg-convert is missing: apt-get install librsvg2-bin")
        let folder = TemporaryDirectory()
        try document.write(toFile: folder.path("plot.svg"), atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/rsvg-convert")
        process.arguments = [folder.path("plot.svg"), "-o", folder.path("plot.png")]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let png = try Data(contentsOf: URL(fileURLWithPath: folder.path("plot.png")))
        #expect(png.starts(with: [0x89, 0x50, 0x4e, 0x47]))
    }
}

import Metrics

@Suite struct DetectionPlotTests {
    @Test func rocAndDetAreValidSVG() throws {
        let trials = try ScoredTrials(scores: (0..<200).map { Double($0 % 17) + ($0 < 50 ? 6 : 0) }, labels: (0..<200).map { $0 < 50 })
        let curves = DetectionCurves(OperatingPoints(trials))
        for document in [DetectionPlots.roc(curves), DetectionPlots.det(curves)] {
            let parsed = ElementCounter.parse(document)
            #expect(parsed.valid)
            #expect(parsed.counts["polyline"] == 1)
            try PlotTests().renders(document)
        }
        #expect(DetectionPlots.det(curves).contains(">miss rate</text>"))
    }
}
