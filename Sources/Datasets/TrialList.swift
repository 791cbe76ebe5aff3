import Foundation
import Randomness

/// Verification trials: each compares an enrolment (one or more utterances of a claimed
/// speaker) with a test utterance.
public struct TrialList: Equatable, Sendable {
    /// One trial.
    public struct Trial: Equatable, Hashable, Sendable {
        /// Whether enrolment and test are the same speaker.
        public let isTarget: Bool
        /// The enrolment's id: a speaker id (speaker-model trials) or an utterance id (pairwise trials).
        public let enrolment: String
        /// The test utterance's id.
        public let test: String

        /// Creates a trial.
        public init(isTarget: Bool, enrolment: String, test: String) {
            self.isTarget = isTarget
            self.enrolment = enrolment
            self.test = test
        }
    }

    /// The trials in order.
    public let trials: [Trial]
    /// For speaker-model trials: each enrolment id's utterance ids (the model is their mean embedding).
    public let enrolments: [String: [String]]

    /// Creates a list.
    public init(trials: [Trial], enrolments: [String: [String]]) {
        self.trials = trials
        self.enrolments = enrolments
    }

    /// Standard speaker-model trials: each speaker enrols its first `enrolmentCount` utterances (by
    /// file name) and every other utterance is a test. All target trials are kept; non-targets are
    /// the full cross product, or `nonTargetsPerTest` claimed speakers drawn per test utterance.
    public static func speakerModels(_ utterances: [Utterance], enrolmentCount: Int, nonTargetsPerTest: Int? = nil,
                                     using generator: inout SeededGenerator) throws -> TrialList {
        let bySpeaker = Dictionary(grouping: utterances, by: \.speaker).mapValues { $0.sorted { $0.fileName < $1.fileName } }
        var enrolments: [String: [String]] = [:]
        var tests: [(speaker: String, id: String)] = []
        for (speaker, list) in bySpeaker.sorted(by: { $0.key < $1.key }) {
            guard list.count > enrolmentCount else {
                throw DatasetError("speaker '\(speaker)' has \(list.count) utterance(s); trials need more than the \(enrolmentCount) enrolled (lower evaluate.enrolment or drop the speaker)")
            }
            enrolments[speaker] = list.prefix(enrolmentCount).map(\.id)
            tests += list.dropFirst(enrolmentCount).map { (speaker, $0.id) }
        }
        let speakers = enrolments.keys.sorted()
        guard speakers.count >= 2 else { throw DatasetError("trials need at least two speakers, found \(speakers.count)") }
        var trials: [Trial] = []
        for test in tests {
            trials.append(Trial(isTarget: true, enrolment: test.speaker, test: test.id))
            var others = speakers.filter { $0 != test.speaker }
            if let count = nonTargetsPerTest, count < others.count {
                others.shuffle(using: &generator)
                others = Array(others.prefix(count)).sorted()
            }
            trials += others.map { Trial(isTarget: false, enrolment: $0, test: test.id) }
        }
        return TrialList(trials: trials, enrolments: enrolments)
    }

    /// Pairwise trials, as VoxCeleb's lists are built: every same-speaker pair of utterances (each
    /// unordered pair once, the earlier file name enrolled) as a target, and `nonTargetPairs`
    /// different-speaker pairs drawn without repetition by the seeded generator (all of them when
    /// there are fewer). Each utterance enrols alone.
    public static func pairs(_ utterances: [Utterance], nonTargetPairs: Int, using generator: inout SeededGenerator) throws -> TrialList {
        let sorted = utterances.sorted { ($0.speaker, $0.fileName, $0.id) < ($1.speaker, $1.fileName, $1.id) }
        guard Set(sorted.map(\.speaker)).count >= 2 else { throw DatasetError("pairwise trials need at least two speakers") }
        var trials: [Trial] = []
        for (i, first) in sorted.enumerated() {
            for second in sorted[(i + 1)...] where second.speaker == first.speaker {
                trials.append(Trial(isTarget: true, enrolment: first.id, test: second.id))
            }
        }
        guard !trials.isEmpty else { throw DatasetError("pairwise trials need a speaker with at least two utterances") }
        // Different-speaker pairs i < j, by index into `sorted`; drawn until enough distinct ones.
        let count = sorted.count
        var possible = 0
        for (i, first) in sorted.enumerated() { possible += sorted[(i + 1)...].filter { $0.speaker != first.speaker }.count }
        var chosen = Set<Int>()
        if nonTargetPairs >= possible {
            for i in 0..<count { for j in (i + 1)..<count where sorted[i].speaker != sorted[j].speaker { chosen.insert(i * count + j) } }
        } else {
            while chosen.count < nonTargetPairs {
                let i = Int.random(in: 0..<count, using: &generator), j = Int.random(in: 0..<count, using: &generator)
                guard i != j, sorted[i].speaker != sorted[j].speaker else { continue }
                chosen.insert(min(i, j) * count + max(i, j))
            }
        }
        for pair in chosen.sorted() {
            trials.append(Trial(isTarget: false, enrolment: sorted[pair / count].id, test: sorted[pair % count].id))
        }
        let enrolments = Dictionary(uniqueKeysWithValues: Set(trials.map(\.enrolment)).map { ($0, [$0]) })
        return TrialList(trials: trials, enrolments: enrolments)
    }

    /// Reads a VoxCeleb trial file: one `label enrol test` line per trial (label 1 target, 0 not),
    /// paths relative to the corpus root; each path must name an utterance of `utterances`.
    public static func readVoxCeleb(_ path: String, utterances: [Utterance], root: String) throws -> TrialList {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw DatasetError("\(path): error: cannot read the trial list")
        }
        var byRelativePath: [String: String] = [:]
        for utterance in utterances {
            let relative = utterance.path.hasPrefix(root + "/") ? String(utterance.path.dropFirst(root.count + 1)) : utterance.path
            byRelativePath[relative] = utterance.id
        }
        var trials: [Trial] = []
        var enrolments: [String: [String]] = [:]
        for (index, line) in text.split(separator: "\n").enumerated() {
            let fields = line.split(separator: " ").map(String.init)
            guard fields.count == 3, fields[0] == "0" || fields[0] == "1" else {
                throw DatasetError("\(path):\(index + 1): error: expected 'label enrol test' with label 0 or 1, got '\(line)'")
            }
            guard let enrol = byRelativePath[fields[1]] else {
                throw DatasetError("\(path):\(index + 1): error: '\(fields[1])' is not a file of the corpus at \(root)")
            }
            guard let test = byRelativePath[fields[2]] else {
                throw DatasetError("\(path):\(index + 1): error: '\(fields[2])' is not a file of the corpus at \(root)")
            }
            enrolments[enrol] = [enrol]
            trials.append(Trial(isTarget: fields[0] == "1", enrolment: enrol, test: test))
        }
        return TrialList(trials: trials, enrolments: enrolments)
    }

    /// The VoxCeleb text for pairwise trials: `label enrol test` with paths relative to `root`.
    public func voxCelebText(utterances: [Utterance], root: String) -> String {
        let paths = Dictionary(uniqueKeysWithValues: utterances.map { ($0.id, $0.path.hasPrefix(root + "/") ? String($0.path.dropFirst(root.count + 1)) : $0.path) })
        return trials.map { "\($0.isTarget ? 1 : 0) \(paths[$0.enrolment] ?? $0.enrolment) \(paths[$0.test] ?? $0.test)" }.joined(separator: "\n") + "\n"
    }
}
