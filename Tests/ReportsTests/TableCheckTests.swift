import Foundation
import Testing
@testable import Reports

@Suite struct TableCheckTests {
    static let table = Table(header: ["model", "EER", "SI top-1"], rows: [["deepspeaker", "0.1234", "0.9000"], ["se-resnet", "0.2000", "0.8500"]])

    static let readme = """
    # Results

    Some prose.

    | model       |    EER | SI top-1 |
    |-------------|-------:|---------:|
    | deepspeaker | 0.1234 |   0.9000 |
    | se-resnet   | 0.2000 |   0.8500 |

    More prose.
    """

    @Test func aMatchingTableHasNoDifferences() {
        #expect(MarkdownTableCheck(expected: Self.table, tolerance: 1e-4).differences(in: Self.readme).isEmpty)
        // Its own Markdown rendering matches too, whatever the padding.
        #expect(MarkdownTableCheck(expected: Self.table, tolerance: 1e-4).differences(in: Self.table.markdown).isEmpty)
    }

    @Test func aChangedNumberIsReportedWithItsLine() {
        let edited = Self.readme.replacingOccurrences(of: "| se-resnet   | 0.2000", with: "| se-resnet   | 0.2100")
        let differences = MarkdownTableCheck(expected: Self.table, tolerance: 1e-4).differences(in: edited)
        #expect(differences == [.init(line: 8, message: "row 'se-resnet', column 'EER': the file has 0.2100, the results give 0.2000")])
        // Within the tolerance it passes.
        #expect(MarkdownTableCheck(expected: Self.table, tolerance: 0.02).differences(in: edited).isEmpty)
    }

    @Test func aMissingRowAMissingTableAndARenamedRowAreDifferences() {
        let shorter = Self.readme.replacingOccurrences(of: "| se-resnet   | 0.2000 |   0.8500 |\n", with: "")
        #expect(MarkdownTableCheck(expected: Self.table, tolerance: 1e-4).differences(in: shorter).first?.message == "the table has 1 row(s); the results give 2")
        let renamed = Self.readme.replacingOccurrences(of: "| deepspeaker |", with: "| deep-speaker |")
        #expect(MarkdownTableCheck(expected: Self.table, tolerance: 1e-4).differences(in: renamed).count == 1)
        let none = MarkdownTableCheck(expected: Self.table, tolerance: 1e-4).differences(in: "# nothing here\n")
        #expect(none.count == 1 && none[0].line == 0)
    }

    @Test func metricHeadingsCarryTheirParameters() {
        #expect(MetricHeading.heading("min_dcf_p0.01") == "minDCF (P_tar=0.01, C_miss=C_fa=1)")
        #expect(MetricHeading.heading("act_dcf_p0.001") == "actDCF (P_tar=0.001, C_miss=C_fa=1)")
        #expect(MetricHeading.heading("si_top5") == "SI top-5")
        #expect(MetricHeading.heading("eer_seed") == "EER (seed)")
        #expect(MetricHeading.heading("custom") == "custom")
    }
}

extension PlotTests {
    static let history = try! CSV.parse("""
    stage,epoch,step,loss,accuracy,val_loss,val_accuracy,eer,lr,seconds,samples_per_second
    pretrain,1,9,2.5,0.19,2.9,0.11,,0.001,0.6,212
    pretrain,2,18,1.2,0.77,2.7,0.13,,0.001,0.6,220
    pretrain,3,27,0.6,0.95,2.2,0.25,,0.001,0.6,206
    finetune,0,20,0.09,,,,0.12,0.001,0.1,100
    finetune,0,40,0.07,,,,0.10,0.001,0.1,100

    """)

    @Test func trainingCurvesHaveAPanelPerQuantityAndRender() throws {
        let figures = TrainingCurves.figures(Self.history)
        #expect(figures.map(\.file) == ["pretrain-curves.svg", "finetune-curves.svg"])
        let pretrain = ElementCounter.parse(figures[0].svg)
        #expect(pretrain.valid)
        // The outer document and two panels; loss and accuracy each with training and validation.
        #expect(pretrain.counts["svg"] == 3 && pretrain.counts["polyline"] == 4)
        #expect(figures[0].svg.contains(">Pretraining accuracy</text>") && figures[0].svg.contains(">validation</text>"))
        let finetune = ElementCounter.parse(figures[1].svg)
        #expect(finetune.valid && finetune.counts["polyline"] == 2)
        try renders(figures[0].svg)
    }

    @Test func anOverlayHasOneLinePerRun() throws {
        let overlay = TrainingCurves.overlay([("a", Self.history), ("b", Self.history)])
        let parsed = ElementCounter.parse(overlay)
        #expect(parsed.valid && parsed.counts["polyline"] == 4)
        #expect(overlay.contains(">a</text>") && overlay.contains(">b</text>"))
        try renders(overlay)
    }
}
