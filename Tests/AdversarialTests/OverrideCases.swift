import Foundation
import Testing

/// Category "overrides and sweeps": `--set` values, sweep axes and command-line options a
/// hurried user types, against the quick-start spec; each is refused (exit 2) naming the key,
/// the allowed range and the fix, before anything is written.
@Suite struct OverrideCases {
    static let cases: [(override: String, message: String)] = [
        ("pretrain.batch=0", "--set pretrain.batch: error: 'pretrain.batch' is 0; it must be 1 ≤ x ≤ 4096"),
        ("pretrain.batch=99999", "'pretrain.batch' is 99999; it must be 1 ≤ x ≤ 4096"),
        ("pretrain.batch=abc", "'pretrain.batch' must be an integer"),
        ("pretrain.epochs=1.5", "'pretrain.epochs' must be an integer"),
        ("pretrain.optimizer.lr=0", "'pretrain.optimizer.lr' is 0; it must be 0 < x ≤ 10"),
        ("pretrain.optimizer.lr=100", "'pretrain.optimizer.lr' is 100"),
        ("pretrain.optimizer.lr=.inf", "'pretrain.optimizer.lr' is inf; it must be a finite number"),
        ("pretrain.optimizer.kind=rmsprop", "'pretrain.optimizer.kind' is 'rmsprop'; it must be one of adam, adamw, sgd"),
        ("pretrain.optimizer.beta1=1", "'pretrain.optimizer.beta1' is 1"),
        ("pretrain.aam_margin=5", "'pretrain.aam_margin' is 5"),
        ("pretrain.aam_scale=0", "'pretrain.aam_scale' is 0"),
        ("pretrain.plateau_factor=0", "'pretrain.plateau_factor' is 0"),
        ("pretrain.early_stopping=-1", "'pretrain.early_stopping' is -1"),
        ("pretrain.label_smoothing=1", "'pretrain.label_smoothing' is 1; it must be 0 ≤ x < 1"),
        ("pretrain.l2=-1", "'pretrain.l2' is -1"),
        ("finetune.l2=2", "'finetune.l2' is 2"),
        ("finetune.candidates=1", "'finetune.candidates' is 1"),
        ("finetune.per_anchor=0", "'finetune.per_anchor' is 0"),
        ("finetune.reduction=max", "'finetune.reduction' is 'max'; it must be one of sum, mean"),
        ("finetune.optimizer.beta1=0.9", "'finetune.optimizer.beta1' does not apply to kind sgd"),
        ("finetune.optimizer.momentum=-0.5", "'finetune.optimizer.momentum' is -0.5"),
        ("finetune.triplets=-2", "'finetune.triplets' is -2"),
        ("evaluate.bootstrap=0", "'evaluate.bootstrap' is 0"),
        ("evaluate.protocol=xyz", "'evaluate.protocol' is 'xyz'"),
        ("evaluate.enrolment=-1", "'evaluate.enrolment' is -1"),
        ("evaluate.metrics=[foo]", "'evaluate.metrics[0]' is 'foo'"),
        ("evaluate.tasks=[sv, sv]", "it names one entry twice"),
        ("evaluate.tasks=[speaker]", "'evaluate.tasks[0]' is 'speaker'; it must be one of sv, si"),
        ("features.bands=100000", "'features.bands' is 100000"),
        ("features.rate=0", "'features.rate' is 0"),
        ("features.kind=wav", "'features.kind' is 'wav'"),
        ("features.scale=loud", "'features.scale' is 'loud'"),
        ("features.seconds=-3", "'features.seconds' is -3"),
        ("dataset.kind=voxceleb", "'dataset.kind' is 'voxceleb'; it must be one of synthetic, timit, folders"),
        ("dataset.utterances=1", "'dataset.utterances' is 1"),
        ("dataset.speakers=100000000", "'dataset.speakers' is 100000000"),
        ("dataset.validation_fraction=1", "'dataset.validation_fraction' is 1"),
        ("dataset.on_bad_file=ignore", "'dataset.on_bad_file' is 'ignore'"),
        ("model.width=1e9", "'model.width' is 1000000000"),
        ("model.blocks=[100]", "'model.blocks' is [100]"),
        ("model.blocks=abc", "'model.blocks[0]' must be an integer, not 'abc'"),
        ("model.batchnorm_momentum=0", "'model.batchnorm_momentum' is 0"),
        ("model.graph=../../../etc/passwd", "../../../etc/passwd:1:1: error: a model file is a mapping with name, input and layers"),
        ("execution.numerics=turbo", "'execution.numerics' is 'turbo'"),
        ("execution.executor=k8s", "'execution.executor' is 'k8s'"),
        ("name=.", "'name' is '.'"),
        ("name=a/b", "'name' is 'a/b'; it holds a path separator"),
        ("seed=abc", "'seed' must be an integer"),
        ("seed=99999999999", "'seed' is 99999999999"),
        ("nonsense.key=1", "'nonsense' is not a spec key"),
        ("pretrain.optimizer=3", "'pretrain.optimizer' must be a mapping"),
        ("pretrain.batch=16,0", "'pretrain.batch' is 0"),
        ("dataset.utterances=3", "Experiments/quickstart.yaml:30:14: error: synthetic speaker 1 has 3 utterance(s); trials need more than the 3 enrolled"),
        ("evaluate.enrolment=10", "trials need more than the 10 enrolled; lower evaluate.enrolment below 10 or raise dataset.utterances"),
        ("dataset.test_fraction=0.01", "the corpus holds out 1 test speaker(s); evaluation needs at least two"),
        ("finetune.optimizer.lr=0.001,-1", "'finetune.optimizer.lr' is -1"),
        ("justtext", "'justtext' must look like section.key=value"),
        ("=3", "names no key"),
        ("~nonsense", "'nonsense' is not a spec key, so it cannot be removed"),
    ]

    @Test(arguments: cases)
    func aHostileOverrideIsRefusedBeforeAnyWrite(override: String, message: String) throws {
        let sandbox = try Sandbox()
        expect(try sandbox.run(["plan", "Experiments/quickstart.yaml", "--set", override]), status: 2, contains: [message])
    }

    /// `run` refuses the same way, before any stage: not even Results/ is created.
    @Test(arguments: ["name=../x", "name=..", "name=.cache", "pretrain.batch=0", "evaluate.metrics=[eer, nonsense]"])
    func runRefusesBeforeAnyWrite(override: String) throws {
        let sandbox = try Sandbox()
        let outcome = try sandbox.run(["run", "Experiments/quickstart.yaml", "--set", override])
        expect(outcome, status: 2, contains: ["--set ", "error:"])
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("Results")), "Results/ was created")
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("x")))
    }

    static let options: [(arguments: [String], message: String)] = [
        (["--zip", "finetune.margin=0.1,0.2", "--zip", "seed=1,2,3"], "zip"),
        (["--threads", "-1"], "threads"),
        (["--set"], "Missing value for '--set"),
        (["--set", "dataset.speakers=10000", "--set", "dataset.utterances=1000"], "error: the features of 10000000 utterances at 149 × 40 need about 444.1 GiB"),
        (["--set", "seed=" + (1...200).map(String.init).joined(separator: ","), "--set", "pretrain.batch=" + (1...100).map(String.init).joined(separator: ",")],
         "error: the sweep has 200 × 100 = 20000 points, more than the 10000 one sweep may have"),
        (["--nonsense"], "Unknown option '--nonsense'"),
    ]

    @Test(arguments: options)
    func aHostileOptionIsRefused(arguments: [String], message: String) throws {
        let sandbox = try Sandbox()
        let outcome = try sandbox.run(["plan", "Experiments/quickstart.yaml"] + arguments)
        #expect(outcome.status != 0, "\(arguments) was accepted: \(outcome.output)")
        expect(outcome, status: outcome.status, contains: [message])
    }
}
