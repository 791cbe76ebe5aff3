import Foundation
import Testing

/// Category "specs": a spec file with a mistake, planned from the command line; each is refused
/// (exit 2) at its line and column before anything is written.
@Suite struct SpecFileCases {
    static let cases: [(text: String, message: String)] = [
        ("pretrain:\n  batch: 0\n", "bad.yaml:2:10: error: 'pretrain.batch' is 0; it must be 1 ≤ x ≤ 4096"),
        ("pretrain:\n  epochs: -1\n", "bad.yaml:2:11: error: 'pretrain.epochs' is -1"),
        ("pretrain:\n  batch: 2.5\n", "bad.yaml:2:10: error: 'pretrain.batch' must be an integer"),
        ("model:\n  width: .nan\n", "bad.yaml:2:10: error: 'model.width' is nan; it must be a finite number"),
        ("model:\n  blocks: [0]\n", "bad.yaml:2:11: error: 'model.blocks' is [0]"),
        ("model:\n  graph: nothere.yaml\n", "bad.yaml:2:10: error: model.graph names 'nothere.yaml'"),
        ("seed: 1\nseed: 2\n", "bad.yaml:2:1: error: 'seed' is given twice in one mapping (first on line 1)"),
        ("seed: -4\n", "bad.yaml:1:7: error: 'seed' is -4"),
        ("- a\n- b\n", "bad.yaml:1:1: error: a spec is a mapping of sections"),
        ("name: [a\n", "bad.yaml:2:1: error: not valid YAML"),
        ("name: x\n\tpretrain: {}\n", "bad.yaml:2:1: error: not valid YAML"),
        ("", "bad.yaml: error: the file is empty"),
        ("extends: missing.yaml\n", "bad.yaml:1:10: error: extends names 'missing.yaml', which does not exist"),
        ("extends: bad.yaml\n", "extends forms a cycle"),
        ("sweep: 3\n", "bad.yaml:1:1: error: sweep holds grid: and/or zip:"),
        ("sweep:\n  grid:\n    seed: 3\n", "bad.yaml:3:5: error: sweep.grid.seed must be a list of values"),
        ("sweep:\n  grid:\n    pretrain.batch: [16, 0]\n", "'pretrain.batch' is 0"),
        ("evaluate:\n  protocol: membership\n", "bad.yaml:2:13: error: 'evaluate.protocol' is 'membership'"),
        ("evaluate:\n  metrics: [eer, eer]\n", "it names one entry twice"),
        ("evaluate:\n  tasks: []\n", "'evaluate.tasks' is []; it must name at least one"),
        ("evaluate:\n  metrics: [eer, top1]\n", "'evaluate.metrics[1]' is 'top1'"),
        ("name: ../escape\n", "bad.yaml:1:7: error: 'name' is '../escape'; it holds a path separator"),
        ("name: .cache\n", "bad.yaml:1:7: error: 'name' is '.cache'; it starts with '.'"),
        ("name: a/b\n", "bad.yaml:1:7: error: 'name' is 'a/b'"),
        ("features:\n  seconds: 0\n", "bad.yaml:2:12: error: 'features.seconds' is 0"),
        ("features:\n  kind: plp\n", "bad.yaml:2:9: error: 'features.kind' is 'plp'; it must be one of"),
        ("features:\n  vad: webrtc\n", "bad.yaml:2:8: error: 'features.vad' is 'webrtc'"),
        ("pretrain:\n  optimizer: {kind: adam, momentum: 0.9}\n", "'pretrain.optimizer.momentum' does not apply to kind adam"),
        ("pretrain:\n  optimizer: {kind: rmsprop}\n", "'pretrain.optimizer.kind' is 'rmsprop'"),
        ("pretrain:\n  optimizer: {lr: 0}\n", "'pretrain.optimizer.lr' is 0"),
        ("finetune:\n  margin: -1\n", "bad.yaml:2:11: error: 'finetune.margin' is -1"),
        ("unknown_section: 1\n", "bad.yaml:1:1: error: unknown key 'unknown_section'; known: augment, calibrate, dataset, evaluate"),
        ("pretrain:\n  batchsize: 32\n", "bad.yaml:2:3: error: unknown key 'batchsize' in 'pretrain'; known: aam_margin"),
        ("execution:\n  threads: -1\n", "bad.yaml:2:12: error: 'execution.threads' is -1"),
        ("dataset:\n  kind: folders\n  root: /nonexistent/corpus\n", "/nonexistent/corpus"),
        ("dataset:\n  on_bad_file: ignore\n", "bad.yaml:2:16: error: 'dataset.on_bad_file' is 'ignore'; it must be one of fail, skip"),
        ("pretrain:\n  aam_margin_warmup: 2\n", "bad.yaml:2:22: error: aam_margin_warmup warms up the AAM margin, and pretrain.loss is softmax; set pretrain.loss: aam"),
        ("pretrain:\n  warmup: 0\n", "bad.yaml:2:11: error: 'pretrain.warmup' is 0"),
        ("features:\n  kind: logfbank\n  coefficients: 13\n", "bad.yaml:3:17: error: features.coefficients: 13 applies only to features.kind mfcc"),
        ("augment:\n  noise: 0.5\n", "bad.yaml:1:1: error: augment: augments pretraining's crops, and the spec has no pretrain section"),
        ("pretrain: {}\naugment:\n  crop: [4, 2]\n", "bad.yaml:3:9: error: 'augment.crop' is [4,2]; its min 4.0 is above its max 2.0"),
        ("pretrain: {}\naugment:\n  snr: [5]\n", "'augment.snr' is [5]; it must be two numbers [min, max]"),
        ("pretrain: {}\naugment:\n  noise_kinds: [coloured, folder]\n", "bad.yaml:3:16: error: noise_kinds names folder, and there is no augment.noise_folder"),
        ("pretrain: {}\naugment:\n  noise_kinds: [folder]\n  noise_folder: /nonexistent/musan\n", "bad.yaml:4:17: error: '/nonexistent/musan' is not a folder; give a folder of audio files"),
        ("pretrain: {}\naugment:\n  speed: [0.9, 3]\n", "'augment.speed'"),
        ("pretrain:\n  select: accuracy\n", "bad.yaml:2:11: error: 'pretrain.select' is 'accuracy'; it must be one of validation-loss, eer"),
        ("dataset:\n  speakers: 8\n  test_fraction: 0.5\npretrain:\n  select: eer\n  validation_speakers: 3\n", "bad.yaml:6:24: error: select: eer holds out 3 of the 4 training speakers, which leaves fewer than two"),
        ("evaluate:\n  length: full\n", "bad.yaml:2:11: error: 'evaluate.length' is 'full'; it must be one of cut, whole"),
    ]

    @Test(arguments: cases)
    func aMistakeInASpecFileIsRefusedAtItsPlace(text: String, message: String) throws {
        try Self.refusedAtPlan(text, message)
    }

    /// Plans `text` as `Experiments/bad.yaml` in a sandbox: exit 2 with `message`, nothing written.
    static func refusedAtPlan(_ text: String, _ message: String) throws {
        let sandbox = try Sandbox()
        try sandbox.write(text, to: "Experiments/bad.yaml")
        expect(try sandbox.run(["plan", "Experiments/bad.yaml"]), status: 2, contains: [message])
    }

    @Test func aSpecThatIsNotTextOrTooLongIsRefused() throws {
        let sandbox = try Sandbox()
        try Data([0xff, 0xfe, 0x00, 0x81, 0x9c]).write(to: URL(fileURLWithPath: sandbox.path("Experiments/binary.yaml")))
        expect(try sandbox.run(["plan", "Experiments/binary.yaml"]), status: 2, contains: ["Experiments/binary.yaml: error: the spec file is not UTF-8 text"])
        try sandbox.write("name: big\n" + String(repeating: "# padding\n", count: 120_000), to: "Experiments/big.yaml")
        expect(try sandbox.run(["plan", "Experiments/big.yaml"]), status: 2, contains: ["Experiments/big.yaml: error: the spec file is over 1 MiB"])
        expect(try sandbox.run(["plan", "Experiments"]), status: 2, contains: ["Experiments: error: this is a folder, not a spec file"])
        expect(try sandbox.run(["plan", "Experiments/absent.yaml"]), status: 2, contains: ["Experiments/absent.yaml: error: no spec file here"])
    }

    /// Anchors that repeat an anchor ten times, nine levels deep: 10⁹ values from 700 bytes.
    static func bomb(under key: String, indent: String) -> String {
        "\(indent)\(key)0: &a0 [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n" + (1..<9).map { level in
            "\(indent)\(key)\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }.joined()
    }

    static let expanding: [(file: String, text: String, arguments: [String], message: String)] = [
        ("Experiments/bomb.yaml", "name: bomb\nsweep:\n  grid:\n" + bomb(under: "seed", indent: "    "), ["plan", "Experiments/bomb.yaml"],
         "Experiments/bomb.yaml:1:1: error: the file expands to more than 1000000 values through its anchors and aliases"),
        ("Experiments/models/bomb.yaml", "name: bomb\nblocks:\n" + bomb(under: "b", indent: "  ") + "layers: [global_average_pool]\n",
         ["plan", "Experiments/quickstart.yaml", "--set", "model.graph=bomb.yaml"], "bomb.yaml:1:1: error: the file expands to more than 1000000 values"),
        ("Experiments/deep.yaml", "name: deep\nreport: {title: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}\n",
         ["plan", "Experiments/deep.yaml"], "Experiments/deep.yaml:2:18: error: not valid YAML: Maximum nesting level reached"),
        ("Experiments/wide.yaml", "name: wide\nreport:\n  title: " + String(repeating: "x", count: 500_000) + ": y: z\n",
         ["plan", "Experiments/wide.yaml"], "Experiments/wide.yaml:3:"),
    ]

    @Test(arguments: expanding)
    func aFileThatExpandsWithoutBoundIsRefusedQuickly(file: String, text: String, arguments: [String], message: String) throws {
        let sandbox = try Sandbox()
        try sandbox.write(text, to: file)
        let started = Date()
        let outcome = try sandbox.run(arguments)
        expect(outcome, status: 2, contains: [message])
        // The message shows a window of a long line, not the whole of it.
        #expect(outcome.output.count < 2_000, "\(outcome.output.count) characters of message")
        #expect(Date().timeIntervalSince(started) < Sandbox.patience)
    }

    @Test func anAliasBombInAnOverrideIsRefused() throws {
        let sandbox = try Sandbox()
        let value = "[" + (0..<8).map { level in "&a\(level + 1) [" + Array(repeating: level == 0 ? "1" : "*a\(level)", count: 10).joined(separator: ", ") + "]" }.joined(separator: ", ") + "]"
        expect(try sandbox.run(["plan", "Experiments/quickstart.yaml", "--set", "report.title=\(value)"]), status: 2, contains: ["anchors and aliases"])
    }
}
