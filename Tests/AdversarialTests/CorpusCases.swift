import Audio
import Datasets
import Foundation
import Testing
import TestSupport

/// Category "audio and corpora": a corpus on disk holding a problem file, or a corpus that is not
/// one; each problem file is named at prepare with its reason (exit 1, nothing published), and
/// with `on_bad_file: skip` the run completes and its report names the file.
@Suite struct CorpusCases {
    /// A folder-per-speaker corpus of 4 speakers × 4 utterances inside the sandbox.
    static func corpus(in sandbox: Sandbox) throws -> String {
        let root = sandbox.path("corpus")
        let scratch = TemporaryDirectory()
        for utterance in try SyntheticCorpus(speakers: 4, utterancesPerSpeaker: 4, testFraction: 0.5).write(to: scratch.url.path) {
            let folder = "\(root)/\(utterance.speaker)"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: utterance.path, toPath: "\(folder)/\(URL(fileURLWithPath: utterance.path).lastPathComponent)")
        }
        return root
    }

    /// The fast settings: no training, the mean log-mel embedding.
    static func arguments(root: String, policy: String) -> [String] {
        ["run", "Experiments/quickstart.yaml"] + ["dataset.kind=folders", "dataset.root=\(root)", "dataset.test_fraction=0.5", "features.seconds=0.6",
                                                   "~pretrain", "~finetune", "model.graph=mean-logmel.yaml", "name=corpus", "dataset.on_bad_file=\(policy)"].flatMap { ["--set", $0] }
    }

    /// A sandbox whose corpus holds one problem file of the given kind; its root and the file.
    static func planted(_ kind: ProblemAudioFiles.Kind) throws -> (sandbox: Sandbox, root: String, path: String) {
        let sandbox = try Sandbox()
        let root = try corpus(in: sandbox)
        let path = "\(root)/mspk000/\(kind.name)"
        try kind.make(path)
        return (sandbox, root, path)
    }

    @Test(arguments: ProblemAudioFiles.kinds.indices)
    func aProblemFileStopsTheRunAtPrepareWithItsReason(index: Int) throws {
        let kind = ProblemAudioFiles.kinds[index]
        let (sandbox, root, path) = try Self.planted(kind)
        let outcome = try sandbox.run(Self.arguments(root: root, policy: "fail"))
        expect(outcome, status: 1, contains: ["FAILED   prepare: 1 of the corpus's 17 files cannot be used:\n  \(path): \(kind.reason)", "set dataset.on_bad_file: skip"],
               mayChange: ["Results"])
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("Results/corpus")), "a failed run published results")
    }

    @Test(arguments: ProblemAudioFiles.kinds.indices)
    func withSkipTheRunCompletesAndTheReportNamesTheFile(index: Int) throws {
        let kind = ProblemAudioFiles.kinds[index]
        let (sandbox, root, path) = try Self.planted(kind)
        let outcome = try sandbox.run(Self.arguments(root: root, policy: "skip"))
        expect(outcome, status: 0, contains: ["warning: dataset.on_bad_file: skip left out 1 file(s):\n  \(path): \(kind.reason)"], mayChange: ["Results"])
        let report = try String(contentsOfFile: sandbox.path("Results/corpus/report.md"), encoding: .utf8)
        #expect(report.contains("## Files left out") && report.contains(path), "\(report)")
    }

    @Test func aRecordingInTwoFormatsIsARepeatedIdNotACrash() throws {
        let sandbox = try Sandbox()
        let root = try Self.corpus(in: sandbox)
        let first = try FileManager.default.contentsOfDirectory(atPath: "\(root)/mspk000").sorted()[0]
        let flac = "\(root)/mspk000/\(first.dropLast(4)).flac"
        try AudioFile.write(try AudioFile.read("\(root)/mspk000/\(first)"), to: flac, format: .flac16)
        expect(try sandbox.run(Self.arguments(root: root, policy: "fail")), status: 1, contains: ["the same utterance id 'mspk000/\(first.dropLast(4))'"], mayChange: ["Results"])
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("Results/corpus")), "a failed run published results")
        expect(try sandbox.run(Self.arguments(root: root, policy: "skip")), status: 0, contains: ["left out 1 file(s)"], mayChange: ["Results"])
    }

    @Test func aSpeakerFolderWithACommaIsKept() throws {
        let sandbox = try Sandbox()
        let root = try Self.corpus(in: sandbox)
        try FileManager.default.moveItem(atPath: "\(root)/mspk000", toPath: "\(root)/smith, john")
        expect(try sandbox.run(Self.arguments(root: root, policy: "fail")), status: 0, contains: [], mayChange: ["Results"])
        // Its utterances are scored (the last speaker by name is held out for testing).
        let scores = try String(contentsOfFile: sandbox.path("Results/corpus/scores.csv"), encoding: .utf8)
        #expect(scores.contains("\"smith, john/"), "\(scores.prefix(400))")
    }

    @Test func aSpeakerFolderWithALineBreakIsRefusedAtPlanTime() throws {
        let sandbox = try Sandbox()
        let root = try Self.corpus(in: sandbox)
        try FileManager.default.moveItem(atPath: "\(root)/mspk000", toPath: "\(root)/two\nlines")
        let arguments = Self.arguments(root: root, policy: "fail")
        expect(try sandbox.run(["plan"] + arguments.dropFirst()), status: 2,
               contains: ["--set dataset.root: error: 4 file path(s) hold a line break or another control character", "two\\nlines"])
    }

    static let notCorpora: [(setup: String, message: String)] = [
        ("absent", "--set dataset.root: error: '"),
        ("file", "no such folder; pass the corpus root"),
        ("empty", "no audio files"),
    ]

    @Test(arguments: notCorpora)
    func aRootThatIsNotACorpusIsAPlanError(setup: String, message: String) throws {
        let sandbox = try Sandbox()
        let root = sandbox.path("corpus")
        switch setup {
        case "file": try sandbox.write("not a folder", to: "corpus")
        case "empty": try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        default: break
        }
        expect(try sandbox.run(Self.arguments(root: root, policy: "fail")), status: 2, contains: [message])
    }
}
