import Foundation
import Testing
import TestSupport

/// Category "after training": `embed`, `score`, `verify`, `export` and `trials` on a trained run,
/// and `init_from`, `freeze` and `calibrate` in specs, given hostile input. Each is refused with
/// the path or the line and how to fix it, and writes nothing (but what a command was asked to
/// write and then refused mid-way never reaches its destination).
@Suite(.serialized) struct AfterTrainingCases {
    /// One sandbox with a small trained run (`Results/trained`), shared by the cases.
    static let sandbox: Sandbox = {
        let sandbox = try! Sandbox()
        let made = try! sandbox.run(["run", "Experiments/quickstart.yaml"] + ["~finetune", "dataset.speakers=12", "dataset.utterances=4", "features.seconds=0.6",
                                                                             "pretrain.epochs=1", "name=trained"].flatMap { ["--set", $0] })
        precondition(made.status == 0, made.output)
        try! sandbox.write("not audio at all\n", to: "notaudio.wav")
        return sandbox
    }()

    /// A test file of the run's corpus, relative to the sandbox.
    static var audio: String {
        let cache = sandbox.root.appendingPathComponent("Results/.cache")
        let walker = FileManager.default.enumerator(atPath: cache.path)!
        var found: [String] = []
        for case let path as String in walker where path.hasSuffix(".wav") && path.contains("corpus/test/") { found.append("Results/.cache/" + path) }
        return found.sorted()[0]
    }

    static let commandCases: [(arguments: [String], status: Int32, message: String)] = [
        (["embed", "Experiments", "AUDIO", "--out", "out"], 2, "Experiments is not a published run: it has no keys.json and stages.json"),
        (["embed", "Results/trained", "missing.wav", "--out", "out"], 2, "missing.wav: no such file or folder"),
        (["embed", "Results/trained", "notaudio.wav", "--out", "out"], 2, "notaudio.wav"),
        (["embed", "Results/trained", "Experiments", "--out", "out"], 2, "Experiments: no audio files"),
        (["embed", "Results/trained", "AUDIO", "--out", "out", "--format", "csv"], 64, "--format must be npy or kaldi"),
        (["embed", "Results/trained", "AUDIO", "--out", "out", "--length", "half"], 64, "length"),
        (["embed", "Results/trained", "AUDIO", "--out", "out", "--threads", "0"], 64, "--threads must be in 1…4096"),
        (["embed", "Results/trained", "--out", "out"], 64, "Missing expected argument '<inputs> ...'"),
        (["embed", "Results/trained", "AUDIO", "--out", "out", "--results", "Experiments"], 2, "no cache at"),
        (["score", "Results/trained", "absent.txt", "--out", "out"], 2, "absent.txt: error: cannot read the file; check the path"),
        (["score", "Results/trained", "four.txt", "--out", "out"], 2, "four.txt:2: error: a trial is 'label enrol test' or 'enrol test'; this line has 4 fields"),
        (["score", "Results/trained", "maybe.txt", "--out", "out"], 2, "maybe.txt:1: error: the label 'maybe' must be 1 (target) or 0 (non-target)"),
        (["score", "Results/trained", "mixed.txt", "--out", "out"], 2, "mixed.txt: error: 1 of 2 trials have a label; label every trial or none"),
        (["score", "Results/trained", "empty.txt", "--out", "out"], 2, "empty.txt: error: the trial list has no trials"),
        (["score", "Results/trained", "binary.txt", "--out", "out"], 2, "binary.txt: error: the file is not UTF-8 text"),
        (["score", "Results/trained", "ghost.txt", "--out", "out"], 2, "ghost.wav: no such file (named by the trial list"),
        (["score", "Results/trained", "targets.txt", "--out", "out"], 2, "the trial list cannot be measured"),
        (["score", "Results/trained", "models.txt", "--enrolment", "twice.txt", "--out", "out"], 2, "twice.txt:2: error: model 'm' is listed twice"),
        (["score", "Results/trained", "models.txt", "--enrolment", "bare.txt", "--out", "out"], 2, "bare.txt:1: error: an enrolment line is 'model file1 file2 …'"),
        (["score", "Results/trained", "targets.txt", "--speakers", "bad-speakers.txt", "--out", "out"], 2, "bad-speakers.txt:1: error: a speaker line is 'file-or-model speaker'"),
        (["verify", "Results/trained", "AUDIO", "missing.wav"], 2, "missing.wav: no such file"),
        (["verify", "Results/trained", "AUDIO", "AUDIO", "--operating-point", "min_dcf_p0.01"], 2, "the run has no calibration, so only the eer operating point is known"),
        (["verify", "Results/trained", "AUDIO", "notaudio.wav"], 2, "notaudio.wav"),
        (["export", "Experiments", "--onnx", "model.onnx"], 2, "Experiments is not a published run"),
        (["export", "Results/trained", "--onnx", "Experiments"], 2, "Experiments"),
        (["embed", "Results/trained", "AUDIO", "--out", "out", "--checkpoint", "averaged"], 2, "kept no averaged checkpoint; set pretrain.average_last: N in its spec"),
        (["export", "Results/trained", "--onnx", "model.onnx", "--checkpoint", "newest"], 64, "checkpoint"),
        (["trials", "Results", "--out", "lists"], 2, "Results is not a published run"),
        (["trials", "damaged", "--out", "lists"], 2, "keys.json or stages.json is not valid JSON"),
        // Special files are refused before they are read: a FIFO blocks on open, /dev/zero never ends.
        (["verify", "Results/trained", "AUDIO", "fifo.wav"], 2, "fifo.wav is a named pipe (FIFO)"),
        (["embed", "Results/trained", "fifo.wav", "--out", "out"], 2, "is a named pipe (FIFO)"),
        (["verify", "Results/trained", "AUDIO", "/dev/zero"], 2, "/dev/zero is a device"),
        // An enrolment file may list models no trial uses; a trial list may not repeat a trial.
        (["score", "Results/trained", "targets.txt", "--enrolment", "unused.txt", "--out", "out"], 2, "the trial list cannot be measured"),
        (["score", "Results/trained", "repeated.txt", "--out", "out"], 2, "repeated.txt:2: error: this trial"),
        (["score", "Results/trained", "crlf.txt", "--out", "out"], 2, "the trial list cannot be measured"),
        // Commands never write into a published run's folder.
        (["score", "Results/trained", "targets.txt", "--out", "Results/trained"], 2, "is inside the published run"),
        (["embed", "Results/trained", "AUDIO", "--out", "Results/trained/embeddings"], 2, "is inside the published run"),
        (["trials", "Results/trained", "--out", "Results/trained"], 2, "is inside the published run"),
    ]

    /// Trial lists, enrolment and speaker files the score cases read.
    static func writeInputs() throws {
        let audio = Self.audio
        try sandbox.write("1 \(audio) \(audio)\n1 \(audio) \(audio) extra\n", to: "four.txt")
        try sandbox.write("maybe \(audio) \(audio)\n", to: "maybe.txt")
        try sandbox.write("1 \(audio) \(audio)\n\(audio) \(audio)\n", to: "mixed.txt")
        try sandbox.write("\n\n", to: "empty.txt")
        try Data([0xff, 0xfe, 0x00, 0x31]).write(to: URL(fileURLWithPath: sandbox.path("binary.txt")))
        try sandbox.write("1 \(audio) ghost.wav\n", to: "ghost.txt")
        try sandbox.write("1 \(audio) \(audio)\n", to: "targets.txt")
        try sandbox.write("1 m \(audio)\n", to: "models.txt")
        try sandbox.write("m \(audio)\nm \(audio)\n", to: "twice.txt")
        try sandbox.write("m\n", to: "bare.txt")
        try sandbox.write("\(audio)\n", to: "bad-speakers.txt")
        try sandbox.write("m \(audio)\nunused \(audio)\n", to: "unused.txt")
        try sandbox.write("1 \(audio) \(audio)\n1 \(audio) \(audio)\n", to: "repeated.txt")
        try sandbox.write("1 \(audio) \(audio)\r\n", to: "crlf.txt")
        if !FileManager.default.fileExists(atPath: sandbox.path("fifo.wav")) { mkfifo(sandbox.path("fifo.wav"), 0o644) }
        try sandbox.write("{not json", to: "damaged/keys.json")
        try sandbox.write("{}", to: "damaged/stages.json")
    }

    @Test(arguments: commandCases.indices)
    func aHostileArgumentIsRefusedAndWritesNothing(index: Int) throws {
        try Self.writeInputs()
        let (arguments, status, message) = Self.commandCases[index]
        let outcome = try Self.sandbox.run(arguments.map { $0 == "AUDIO" ? Self.audio : $0 })
        // Embedding a file caches its embedding under the run's cache (never outside Results/).
        expect(outcome, status: status, contains: [message], mayChange: ["Results/.cache"])
        #expect(!FileManager.default.fileExists(atPath: Self.sandbox.path("out/scores.csv")) && !FileManager.default.fileExists(atPath: Self.sandbox.path("model.onnx")))
    }

    static let specCases: [(override: [String], message: String)] = [
        (["pretrain.init_from=garbage"], "'garbage' is neither a cache key (64 hex digits) nor a run folder with keys.json"),
        (["pretrain.init_from=Experiments"], "'Experiments' is neither a cache key"),
        (["pretrain.init_from=" + String(repeating: "0f", count: 32)], "the cache entry 0f0f0f0f0f0f that init_from names is not in"),
        (["finetune.init_from=Results/trained"], "give init_from to pretrain instead, or remove the pretrain section"),
        (["pretrain.init_from=Results/trained", "pretrain.freeze=[conv, nonsense]"], "'nonsense' names no layer with weights in deepspeaker"),
        (["pretrain.freeze=[]"], "'pretrain.freeze' is []; it must name at least one"),
        (["pretrain.freeze_for=0", "pretrain.freeze=[conv]"], "pretrain.freeze_for"),
        (["pretrain.freeze_for=3"], "freeze_for is set but pretrain.freeze names no layer"),
        (["calibrate.speakers=8"], "holding out 8 for calibration leaves fewer than two to train on"),
        (["calibrate.speakers=2", "calibrate.enrolment=4"], "calibration trials need more than the 4 enrolled"),
        (["calibrate.operating_point=best"], "calibrate.operating_point"),
        (["calibrate.speakers=1"], "calibrate.speakers"),
        (["pretrain.average_last=1"], "'pretrain.average_last' is 1"),
        (["pretrain.init_from=Results/hostile"], "is this experiment's own results folder"),
        (["pretrain.init_from=Results/trained", "model.width=0.5"], "its weights would load only in part"),
    ]

    @Test(arguments: specCases.indices)
    func aHostileAfterTrainingSpecIsRefusedAtPlan(index: Int) throws {
        let (overrides, message) = Self.specCases[index]
        let base = ["dataset.speakers=12", "dataset.utterances=4", "features.seconds=0.6", "pretrain.epochs=1", "finetune.validation_speakers=2", "name=hostile"]
        let outcome = try Self.sandbox.run(["plan", "Experiments/quickstart.yaml"] + (base + overrides).flatMap { ["--set", $0] })
        expect(outcome, status: 2, contains: [message])
    }

    @Test func aRunWhoseModelWasCollectedSaysHowToMakeItAgain() throws {
        let sandbox = try Sandbox()
        let made = try sandbox.run(["run", "Experiments/quickstart.yaml"] + ["~finetune", "dataset.speakers=12", "dataset.utterances=4", "features.seconds=0.6",
                                                                             "pretrain.epochs=1", "name=gone"].flatMap { ["--set", $0] })
        #expect(made.status == 0, "\(made.output)")
        let keys = try JSONDecoder().decode([String: String].self, from: Data(contentsOf: URL(fileURLWithPath: sandbox.path("Results/gone/keys.json"))))
        let pretrain = keys["pretrain"]!
        try FileManager.default.removeItem(atPath: sandbox.path("Results/.cache/\(pretrain.prefix(2))/\(pretrain)"))
        // The published run carries its weights: it exports without its cache entry.
        expect(try sandbox.run(["export", "Results/gone", "--onnx", "gone.onnx"]), status: 0, contains: ["wrote gone.onnx"], mayChange: ["Results/.cache", "gone.onnx"])
        // Without that copy either, the message says how to make it again.
        try FileManager.default.removeItem(atPath: sandbox.path("Results/gone/model.safetensors"))
        expect(try sandbox.run(["export", "Results/gone", "--onnx", "gone2.onnx"]), status: 2,
               contains: ["the pretrain stage's cache entry \(pretrain.prefix(12)) is not in", "run the experiment again"], mayChange: ["Results/.cache"])
    }

    /// A cached embedding damaged on disk (a flipped bit) is embedded again: the same output bytes.
    @Test func aDamagedCachedEmbeddingIsEmbeddedAgain() throws {
        let audio = Self.audio
        expect(try Self.sandbox.run(["embed", "Results/trained", audio, "--out", "first"]), status: 0, contains: [], mayChange: ["Results/.cache", "first"])
        let cache = Self.sandbox.root.appendingPathComponent("Results/.cache/embeddings")
        let walker = FileManager.default.enumerator(atPath: cache.path)!
        var damaged = 0
        for case let relative as String in walker where relative.hasSuffix(".npy") {
            let file = cache.appendingPathComponent(relative)
            var bytes = try Data(contentsOf: file)
            bytes[bytes.count - 2] ^= 0x10
            try bytes.write(to: file)
            damaged += 1
        }
        #expect(damaged > 0)
        expect(try Self.sandbox.run(["embed", "Results/trained", audio, "--out", "second"]), status: 0, contains: [], mayChange: ["Results/.cache", "second"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: Self.sandbox.path("first/embeddings.npy"))) == (try Data(contentsOf: URL(fileURLWithPath: Self.sandbox.path("second/embeddings.npy")))))
    }
}
