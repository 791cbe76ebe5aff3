import Foundation
import Pipeline

/// A trial list as `speakerlab score` reads it: VoxCeleb-style lines `label enrol test` (label 1
/// or `target`, 0 or `nontarget`) or `enrol test` (unlabelled), whitespace-separated. `test` is
/// an audio path relative to the root; `enrol` is a path too, or the name of an enrolment model
/// listed in an enrolment file (Kaldi `spk2utt` style: `model file1 file2 …`), whose embedding is
/// the mean of its files'. A speaker file (Kaldi `utt2spk` style: `file-or-model speaker`) names
/// the speakers behind the intervals' bootstrap; without one a file's speaker is its first path
/// component (the VoxCeleb layout `id10270/5r0dWxy17C8/00001.wav`) and a model's is its first file's.
public struct TrialFile: Sendable {
    /// One trial.
    public struct Trial: Sendable, Equatable {
        /// Target (true), non-target (false) or unlabelled (nil).
        public let label: Bool?
        public let enrol: String
        public let test: String
    }

    /// The trials in file order.
    public let trials: [Trial]
    /// Enrolment models by name → their files.
    public let models: [String: [String]]
    /// Speaker of each file or model that the speaker file names.
    public let speakers: [String: String]

    /// Whether every trial is labelled (metrics need labels).
    public var isLabelled: Bool { trials.allSatisfy { $0.label != nil } }

    /// Every file a trial needs (tests, enrolment files, and models' files), each once, in first-use order.
    public var files: [String] {
        var seen = Set<String>(), order: [String] = []
        for trial in trials {
            for file in (models[trial.enrol] ?? [trial.enrol]) + [trial.test] where seen.insert(file).inserted { order.append(file) }
        }
        return order
    }

    /// The speaker of a file or model.
    public func speaker(of name: String) -> String {
        if let speaker = speakers[name] { return speaker }
        if let files = models[name], let first = files.first { return speaker(of: first) }
        return String(name.split(separator: "/").first ?? Substring(name))
    }

    /// Whether the speaker of a file or model comes from the speaker file (false: guessed from its path).
    public func speakerIsNamed(_ name: String) -> Bool {
        if speakers[name] != nil { return true }
        if let files = models[name], let first = files.first { return speakerIsNamed(first) }
        return false
    }

    /// What `score` says about the speakers behind the intervals: nil when the speaker file names
    /// every one; otherwise how many were guessed from paths, and which speakers that gave.
    public var speakerNote: String? {
        let names = Set(trials.flatMap { [$0.enrol, $0.test] })
        let guessed = names.filter { !speakerIsNamed($0) }
        guard !guessed.isEmpty else { return nil }
        let speakers = Set(guessed.map(speaker(of:))).sorted()
        let listed = speakers.prefix(6).joined(separator: ", ") + (speakers.count > 6 ? ", …" : "")
        return "note: the speakers of \(guessed.count) file(s) or model(s) were guessed from the first path component: \(speakers.count) speaker(s) (\(listed)); "
            + (speakers.count < 6 ? "too few to tell differences by a bootstrap over speakers; " : "")
            + "name them with --speakers FILE (lines 'file-or-model speaker')"
    }

    /// Reads the trial list and the optional enrolment and speaker files; every error names the file and line.
    public init(trials path: String, enrolment: String? = nil, speakers speakerPath: String? = nil) throws {
        models = try enrolment.map { file in
            var models: [String: [String]] = [:]
            for (number, fields) in try Self.lines(file) {
                guard fields.count >= 2 else { throw PipelineError("\(file):\(number): error: an enrolment line is 'model file1 file2 …'; this one has no file") }
                guard models[fields[0]] == nil else { throw PipelineError("\(file):\(number): error: model '\(fields[0])' is listed twice; list each model once") }
                models[fields[0]] = Array(fields.dropFirst())
            }
            return models
        } ?? [:]
        speakers = try speakerPath.map { file in
            var speakers: [String: String] = [:]
            for (number, fields) in try Self.lines(file) {
                guard fields.count == 2 else { throw PipelineError("\(file):\(number): error: a speaker line is 'file-or-model speaker'") }
                speakers[fields[0]] = fields[1]
            }
            return speakers
        } ?? [:]
        var trials: [Trial] = []
        for (number, fields) in try Self.lines(path) {
            switch fields.count {
            case 2: trials.append(Trial(label: nil, enrol: fields[0], test: fields[1]))
            case 3:
                let label: Bool
                switch fields[0].lowercased() {
                case "1", "target", "tgt": label = true
                case "0", "nontarget", "non-target", "imp", "impostor": label = false
                default: throw PipelineError("\(path):\(number): error: the label '\(fields[0])' must be 1 (target) or 0 (non-target)")
                }
                trials.append(Trial(label: label, enrol: fields[1], test: fields[2]))
            default:
                throw PipelineError("\(path):\(number): error: a trial is 'label enrol test' or 'enrol test'; this line has \(fields.count) fields")
            }
        }
        guard !trials.isEmpty else { throw PipelineError("\(path): error: the trial list has no trials") }
        let labelled = trials.filter { $0.label != nil }.count
        guard labelled == 0 || labelled == trials.count else {
            throw PipelineError("\(path): error: \(labelled) of \(trials.count) trials have a label; label every trial or none")
        }
        // A repeated trial would count twice in every metric.
        var firstLine: [String: Int] = [:]
        for ((number, _), trial) in zip(try Self.lines(path), trials) {
            let key = "\(trial.enrol)\u{0}\(trial.test)"
            if let first = firstLine[key] {
                throw PipelineError("\(path):\(number): error: this trial (\(trial.enrol) against \(trial.test)) repeats line \(first); list each trial once")
            }
            firstLine[key] = number
        }
        self.trials = trials
    }

    /// The non-empty lines of a file, split on white space, with their line numbers.
    static func lines(_ path: String) throws -> [(Int, [String])] {
        guard let data = FileManager.default.contents(atPath: path) else { throw PipelineError("\(path): error: cannot read the file; check the path") }
        guard let text = String(data: data, encoding: .utf8) else { throw PipelineError("\(path): error: the file is not UTF-8 text") }
        // Any line ending (LF, CRLF, CR): Swift reads "\r\n" as one Character, which a split on "\n" would never find.
        return text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated().compactMap { index, line in
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
            return fields.isEmpty ? nil : (index + 1, fields)
        }
    }
}
