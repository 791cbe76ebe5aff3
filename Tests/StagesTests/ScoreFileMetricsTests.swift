import Foundation
import Testing
import TestSupport
@testable import Stages

@Suite struct ScoreFileMetricsTests {
    @Test func csvFormatHasAHeaderOfNamesAndOneRow() throws {
        let folder = TemporaryDirectory()
        let path = folder.path("scores.csv")
        try "label,score\n1,0.9\n1,0.8\n1,0.4\n0,0.7\n0,0.3\n0,0.2\n".write(toFile: path, atomically: true, encoding: .utf8)
        let table = try ScoreFileMetrics.evaluate(path: path, metricNames: ["eer", "auc"])
        #expect(table.csv == "eer,auc\n0.3333333,0.8888889\n")
    }

    @Test func aBadLabelNamesTheFileAndLine() throws {
        let folder = TemporaryDirectory()
        let path = folder.path("scores.csv")
        try "score,label\n0.5,1\n0.2,maybe\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect {
            try ScoreFileMetrics.evaluate(path: path, metricNames: [])
        } throws: { error in
            "\(error)" == "\(path):3: error: label 'maybe' must be 1 (target) or 0 (non-target)"
        }
    }
}
