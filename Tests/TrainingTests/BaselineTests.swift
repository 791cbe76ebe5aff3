import Foundation
import Testing
import TestSupport
import Audio
import Datasets
@testable import Training

@Suite struct BaselineTests {
    @Test func meanLogMelBaselineOnTheDefaultCorpusIsLearnableButNotTrivial() throws {
        let folder = TemporaryDirectory()
        let utterances = try SyntheticCorpus().write(to: folder.url.path)
        let test = utterances.filter { $0.split == "test" }
        #expect(Set(test.map(\.speaker)).count == 12)
        let eer = try MeanLogMelBaseline.equalErrorRate(test, settings: FeatureSettings(), threads: 2)
        print("mean-log-mel baseline EER on the default synthetic corpus (test split): \(eer)")
        #expect(eer >= 0.05 && eer <= 0.30, "baseline EER \(eer)")
    }
}
