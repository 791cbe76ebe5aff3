import Audio
import Datasets
import Foundation
import Pipeline
import Reports
import Spec
import Tensor

/// Reads (or, for the synthetic corpus, writes) the corpus and records its manifest. A corpus on
/// disk enters the key by content: the fingerprint of every audio file the reader takes.
enum PrepareStage: StageDefinition {
    struct Parameters: Codable, Hashable, Sendable {
        let dataset: DatasetSpec
        let seed: Int
        /// The corpus files' fingerprint (nil for the synthetic corpus, which the seed defines).
        let corpus: FileListing.Fingerprint?
        /// What the files are screened with: the front end up to VAD.
        let screening: Screening
    }

    /// The part of `features:` that decides whether a file can be used.
    struct Screening: Codable, Hashable, Sendable {
        let rate: Int
        let vad: FeaturesSpec.VoiceDetection
        let aggressiveness: Int

        init(_ features: FeaturesSpec) {
            (rate, vad, aggressiveness) = (features.rate, features.vad, features.aggressiveness)
        }

        var settings: FeatureSettings {
            FeatureSettings(sampleRate: rate, voiceDecision: StageArtifacts.voiceDecision(vad, aggressiveness: aggressiveness))
        }
    }

    static let kind = "prepare"
    static let codeVersion = 3

    /// The file that records the corpus listing inside the entry, for `plan`'s "what changed".
    static let listingFile = "corpus.csv"
    /// The files left out under `on_bad_file: skip`, with their reasons (absent when none were).
    static let skippedFile = "skipped.csv"

    /// The utterances of a corpus on disk, as its reader sees them.
    static func utterances(_ dataset: DatasetSpec) throws -> [Utterance] {
        guard !dataset.root.isEmpty else {
            throw DatasetError("dataset.root is empty; pass the corpus folder, e.g. --set dataset.root=/data/TIMIT")
        }
        var utterances: [Utterance]
        switch dataset.kind {
        case .synthetic: preconditionFailure("the synthetic corpus is generated, not read")
        case .timit: utterances = try TIMITCorpus.read(root: dataset.root)
        case .folders:
            utterances = try SpeakerFolderCorpus.read(root: dataset.root)
            try SpeakerFolderCorpus.checkLayout(utterances, root: dataset.root)
            // A corpus laid out as train/ and test/ keeps its own split; otherwise the last
            // test_fraction of the sorted speakers are the test speakers.
            if !utterances.allSatisfy({ SpeakerFolderCorpus.splitFolders.contains($0.split) }) {
                let speakers = Set(utterances.map(\.speaker)).sorted()
                let held = Set(speakers.suffix(Int((Double(speakers.count) * dataset.testFraction).rounded())))
                utterances = utterances.map { var u = $0; u.split = held.contains(u.speaker) ? "test" : "train"; return u }
            }
        }
        // A relative root is the working directory's; the manifest keeps absolute paths, since the
        // stages after prepare read it from the cache, not from here.
        utterances = utterances.map { var u = $0; u.path = URL(fileURLWithPath: u.path).standardizedFileURL.path; return u }
        // The manifest and the score files are CSV with one row per line: a name with a line break
        // (or another control character) would split its row. Refused here, at plan time.
        let unsafe = utterances.filter { $0.path.unicodeScalars.contains { $0.properties.generalCategory == .control } }
        guard unsafe.isEmpty else {
            throw DatasetError("\(unsafe.count) file path(s) hold a line break or another control character, which no manifest row can carry; rename them:\n"
                               + unsafe.prefix(10).map { "  " + $0.path.debugDescription }.joined(separator: "\n"))
        }
        return utterances
    }

    /// The listing of the files a corpus on disk contributes, from its utterances; `memo`
    /// remembers checksums between plans.
    static func listing(_ dataset: DatasetSpec, utterances: [Utterance], memo: URL?) throws -> FileListing {
        try FileListing(root: dataset.root, paths: utterances.map(\.path), memo: memo)
    }

    static func run(_ parameters: Parameters, _ context: StageContext) throws {
        let dataset = parameters.dataset
        var utterances: [Utterance]
        if dataset.kind == .synthetic {
            let corpus = SyntheticCorpus(speakers: dataset.speakers, utterancesPerSpeaker: dataset.utterances, testFraction: dataset.testFraction,
                                         seed: UInt64(dataset.seed > 0 ? dataset.seed : parameters.seed))
            utterances = try corpus.write(to: context.output.appendingPathComponent("corpus").path)
        } else {
            utterances = try Self.utterances(dataset)
            // The files read now must be the files the key was made from.
            let listing = try FileListing(root: dataset.root, paths: utterances.map(\.path))
            guard listing.fingerprint == parameters.corpus else {
                throw DatasetError("\(dataset.root): the corpus changed between planning and preparing it; run again")
            }
            try AtomicFile.write(listing.csv, to: context.output.appendingPathComponent(listingFile).path)
        }
        let problems = CorpusScreening.problems(utterances, settings: parameters.screening.settings, threads: Parallel.threads)
        if !problems.isEmpty {
            guard dataset.onBadFile == .skip else { throw CorpusScreening.error(problems, of: utterances.count) }
            let left = Set(problems.map(\.path))
            utterances.removeAll { left.contains($0.path) }
            guard !utterances.isEmpty else { throw DatasetError("every one of the corpus's \(problems.count) files was left out:\n" + problems.prefix(20).map { "  \($0.path): \($0.reason)" }.joined(separator: "\n")) }
            let rows = ["path,reason"] + problems.map { [$0.path, $0.reason].map(CSV.escape).joined(separator: ",") }
            try AtomicFile.write(rows.joined(separator: "\n") + "\n", to: context.output.appendingPathComponent(skippedFile).path)
            let warning = "warning: dataset.on_bad_file: skip left out \(problems.count) file(s):\n" + problems.map { "  \($0.path): \($0.reason)\n" }.joined()
            FileHandle.standardError.write(Data(warning.utf8))
        }
        // Paths inside the entry are stored relative to it, so the entry can move into the cache.
        let prefix = context.output.path + "/"
        let csv = try Manifest(utterances: utterances).csv.replacingOccurrences(of: "," + prefix, with: ",")
        try AtomicFile.write(csv, to: context.output.appendingPathComponent("manifest.csv").path)
    }
}
