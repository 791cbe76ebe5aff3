import Testing
import TestSupport

/// The hostile-input suite's size by category (the hostile-input issue asks for at least 150).
@Suite struct SuiteSize {
    static var counts: [(category: String, cases: Int)] {
        [("specs", SpecFileCases.cases.count + 4 + SpecFileCases.expanding.count + 1),
         ("overrides and sweeps", OverrideCases.cases.count + 5 + OverrideCases.options.count),
         ("model graphs", ModelGraphCases.layers.count + ModelGraphCases.files.count + 1),
         ("audio and corpora", 2 * ProblemAudioFiles.kinds.count + 2 + 2 + 1 + CorpusCases.notCorpora.count),
         ("cache damage", CacheDamageCases.damages.count + 2),
         ("score files", ScoreFileCases.cases.count + 3),
         ("results folders", ResultsFolderCases.cases.count + 2),
         ("command-line options", CommandOptionCases.cases.count),
         ("after training", AfterTrainingCases.commandCases.count + AfterTrainingCases.specCases.count + 2),
         ("settings that mean nothing", MeaninglessSettingsCases.cases.count)]
    }

    @Test func theSuiteHasAtLeast150Cases() {
        let total = Self.counts.reduce(0) { $0 + $1.cases }
        print("hostile-input suite: " + Self.counts.map { "\($0.category) \($0.cases)" }.joined(separator: ", ") + "; \(total) in all")
        #expect(total >= 150)
    }
}
