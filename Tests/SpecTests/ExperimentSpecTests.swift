import Foundation
import Testing
import TestSupport
@testable import Pipeline
@testable import Spec

/// The typed spec: every committed spec decodes and encodes back to its validated value, the
/// optimizer is a tagged union, sweeps split at top-level commas only, every numeric key has a
/// range, and the README's reference is the schema's.
@Suite struct ExperimentSpecTests {
    static let experiments = Fixtures.repositoryRoot.appendingPathComponent("Experiments")

    static var specFiles: [String] {
        let walker = FileManager.default.enumerator(atPath: experiments.path)!
        return (walker.allObjects as! [String]).filter { $0.hasSuffix(".yaml") && !$0.hasPrefix("models/") }.sorted()
    }

    @Test func everyCommittedSpecDecodesAndEncodesBackUnchanged() throws {
        #expect(Self.specFiles.count >= 15)
        for file in Self.specFiles {
            let resolved = try SpecSource(path: Self.experiments.appendingPathComponent(file).path).resolve(overrides: [], schema: ExperimentSchema.schema)
            // Every key the schema fills is a typed property, and nothing else is.
            #expect(try ExperimentSpec(validated: resolved.value).canonical.canonicalText == resolved.value.canonicalText, "\(file)")
        }
    }

    static func write(_ files: [String: String]) throws -> TemporaryDirectory {
        let folder = TemporaryDirectory()
        for (name, text) in files { try text.write(toFile: folder.path(name), atomically: true, encoding: .utf8) }
        return folder
    }

    @Test func changingTheOptimizerKindDropsTheEarlierKindsOptions() throws {
        let folder = try Self.write([
            "base.yaml": "pretrain:\n  optimizer: {kind: sgd, lr: 0.05, momentum: 0.5, nesterov: true}\n",
            "child.yaml": "extends: base.yaml\npretrain:\n  optimizer: {kind: adam}\n",
            "wrong.yaml": "extends: base.yaml\npretrain:\n  optimizer: {kind: adam, nesterov: true}\n",
        ])
        let child = try ExperimentSpec.load(path: folder.path("child.yaml")).spec
        // lr is shared, so it stays; momentum and nesterov were SGD's, so they went with it.
        #expect(child.pretrain?.optimizer == .adam(.init(lr: 0.05, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0)))
        let overridden = try ExperimentSpec.load(path: folder.path("base.yaml"), overrides: ["pretrain.optimizer.kind=adamw"]).spec
        guard case .adamw? = overridden.pretrain?.optimizer else { Issue.record("expected adamw"); return }
        // The same layer giving an option of another kind is a mistake, located.
        #expect { try ExperimentSpec.load(path: folder.path("wrong.yaml")) } throws: {
            "\($0)".contains("wrong.yaml:3:27: error: 'pretrain.optimizer.nesterov' does not apply to kind adam; it is an option of sgd")
        }
        #expect { try ExperimentSpec.load(path: folder.path("base.yaml"), overrides: ["pretrain.optimizer.kind=adam", "pretrain.optimizer.momentum=0.8"]) } throws: {
            "\($0)".contains("'pretrain.optimizer.momentum' does not apply to kind adam")
        }
    }

    @Test func overridesSplitIntoSweepValuesAtTopLevelCommasOnly() {
        let (fixed, axes) = SweepAxis.split(["a.b=1,2,3", "c=\"x,y\"", "d=[1, 2]", "e={kind: adam, lr: 1},{kind: sgd}", "~f", "g=one"])
        #expect(fixed == ["c=\"x,y\"", "d=[1, 2]", "~f", "g=one"])
        #expect(axes == [SweepAxis(key: "a.b", values: ["1", "2", "3"]), SweepAxis(key: "e", values: ["{kind: adam, lr: 1}", "{kind: sgd}"])])
    }

    @Test func aQuotedValueMayHoldACommaAndAMappingValueMergesOverItsSection() throws {
        let folder = try Self.write(["a.yaml": "finetune: {steps: 5, optimizer: {kind: sgd, lr: 0.1}}\n"])
        let spec = try ExperimentSpec.load(path: folder.path("a.yaml"), overrides: ["report.title=\"a, b\"", "finetune.optimizer={lr: 0.2}"]).spec
        #expect(spec.report.title == "a, b")
        #expect(spec.finetune?.optimizer.learningRate == 0.2)
        #expect(spec.finetune?.steps == 5)
    }

    @Test func earlyStoppingZeroMeansNever() throws {
        let folder = try Self.write(["a.yaml": "pretrain: {early_stopping: 0}\n"])
        #expect(try ExperimentSpec.load(path: folder.path("a.yaml")).spec.pretrain?.earlyStopping == 0)
    }

    /// Values a hurried user types, each refused at its place with the allowed range.
    @Test(arguments: [
        ("pretrain.batch=0", "'pretrain.batch' is 0; it must be 1 ≤ x ≤ 4096"),
        ("pretrain.batch=-3", "'pretrain.batch' is -3; it must be 1 ≤ x ≤ 4096"),
        ("pretrain.epochs=0", "'pretrain.epochs' is 0; it must be 1 ≤ x"),
        ("pretrain.optimizer.lr=-0.1", "'pretrain.optimizer.lr' is -0.1; it must be 0 < x ≤ 10"),
        ("pretrain.optimizer.lr=.nan", "'pretrain.optimizer.lr' is nan; it must be a finite number"),
        ("pretrain.optimizer.lr=.inf", "'pretrain.optimizer.lr' is inf; it must be a finite number"),
        ("pretrain.optimizer.momentum=1", "'pretrain.optimizer.momentum' is 1; it must be 0 ≤ x < 1"),
        ("pretrain.label_smoothing=2", "'pretrain.label_smoothing' is 2; it must be 0 ≤ x < 1"),
        ("pretrain.loss=hinge", "'pretrain.loss' is 'hinge'; it must be one of softmax, aam"),
        ("model.width=0", "'model.width' is 0; it must be 0 < x ≤ 16"),
        ("model.width=-1", "'model.width' is -1; it must be 0 < x ≤ 16"),
        ("model.blocks=[1.5, 2]", "'model.blocks[0]' must be an integer, not '1.5'"),
        ("model.blocks=[-1]", "'model.blocks' is [-1]; it must be 1 ≤ x ≤ 64"),
        ("model.batchnorm_momentum=2", "'model.batchnorm_momentum' is 2; it must be 0 < x < 1"),
        ("features.seconds=0", "'features.seconds' is 0; it must be 0.1 ≤ x ≤ 60"),
        ("features.bands=0", "'features.bands' is 0; it must be 4 ≤ x ≤ 512"),
        ("features.rate=-16000", "'features.rate' is -16000; it must be 4000 ≤ x ≤ 192000"),
        ("features.aggressiveness=4", "'features.aggressiveness' is 4; it must be 0 ≤ x ≤ 3"),
        ("dataset.speakers=-5", "'dataset.speakers' is -5; it must be 2 ≤ x ≤ 10000"),
        ("dataset.speakers=0", "'dataset.speakers' is 0; it must be 2 ≤ x ≤ 10000"),
        ("dataset.test_fraction=1", "'dataset.test_fraction' is 1; it must be 0 < x < 1"),
        ("seed=-1", "'seed' is -1; it must be 0 ≤ x ≤ 4294967295"),
        ("seed=1.5", "'seed' must be an integer, not '1.5'"),
        ("finetune.triplets=0", "'finetune.triplets' is 0; it must be 1 ≤ x ≤ 4096"),
        ("finetune.evaluate_every=0", "'finetune.evaluate_every' is 0; it must be 1 ≤ x"),
        ("finetune.steps=0", "'finetune.steps' is 0; it must be 1 ≤ x"),
        ("finetune.mining=hardest", "'finetune.mining' is 'hardest'; it must be one of random, hard"),
        ("evaluate.metrics=[eer, nonsense]", "'evaluate.metrics[1]' is 'nonsense'; it must be one of eer, auc"),
        ("evaluate.metrics=[]", "'evaluate.metrics' is []; it must name at least one"),
        ("evaluate.tasks=[]", "'evaluate.tasks' is []; it must name at least one"),
        ("evaluate.metrics=[eer, eer]", "it names one entry twice"),
        ("evaluate.enrolment=0", "'evaluate.enrolment' is 0; it must be 1 ≤ x ≤ 1000"),
        ("execution.executor=cloud", "'execution.executor' is 'cloud'; it must be one of local, slurm"),
        ("name=..", "'name' is '..'; it starts with '.'"),
        ("name=", "'name' is ''; it is empty"),
        ("pretrain=3", "'pretrain' must be a mapping"),
        ("pretrain.epoch=3", "'pretrain.epoch' is not a spec key; keys here: aam_margin"),
        ("~nonsense", "'nonsense' is not a spec key, so it cannot be removed"),
        ("justtext", "'justtext' must look like section.key=value"),
        ("=3", "names no key"),
    ])
    func aHostileOverrideIsRefusedWithWhereWhatAndTheRange(override: String, message: String) throws {
        let folder = try Self.write(["a.yaml": "name: a\npretrain: {}\nfinetune: {}\n"])
        #expect { try ExperimentSpec.load(path: folder.path("a.yaml"), overrides: [override]) } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("--set") && text.contains(message)
        }
    }

    /// The same mistakes inside a spec file are located at their line and column.
    @Test(arguments: [
        ("pretrain:\n  batch: 0\n", "a.yaml:2:10: error: 'pretrain.batch' is 0"),
        ("model:\n  width: .nan\n", "a.yaml:2:10: error: 'model.width' is nan; it must be a finite number"),
        ("seed: 1\nseed: 2\n", "a.yaml:2:1: error: 'seed' is given twice in one mapping (first on line 1)"),
        ("features:\n  bands: 40\n  bands: 41\n", "a.yaml:3:3: error: 'bands' is given twice"),
        ("- a\n- b\n", "a.yaml:1:1: error: a spec is a mapping of sections"),
        ("name: [a\n", "a.yaml:2:1: error: not valid YAML"),
        ("extends: missing.yaml\n", "a.yaml:1:10: error: extends names 'missing.yaml', which does not exist"),
        ("extends: a.yaml\n", "extends forms a cycle"),
        ("sweep: 3\n", "a.yaml:1:1: error: sweep holds grid: and/or zip:"),
        ("sweep:\n  grid:\n    seed: 3\n", "a.yaml:3:5: error: sweep.grid.seed must be a list of values"),
        ("dataset: {kind: timit, speakers: 1}\n", "a.yaml:1:34: error: 'dataset.speakers' is 1; it must be 2 ≤ x ≤ 10000"),
        ("evaluate:\n  protocol: membership\n", "a.yaml:2:13: error: 'evaluate.protocol' is 'membership'; it must be one of trials, pairs"),
    ])
    func aMistakeInAFileIsLocated(text: String, message: String) throws {
        let folder = try Self.write(["a.yaml": text])
        #expect { try ExperimentSpec.load(path: folder.path("a.yaml")) } throws: { error in
            "\(error)".contains(folder.path(message.hasPrefix("a.yaml") ? message : "a.yaml")) || "\(error)".contains(message)
        }
    }

    @Test func theReadmeSpecReferenceIsTheSchemas() throws {
        let readme = try String(contentsOf: Fixtures.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let generated = try #require(SpecReference.updating(readme), "README.md has no spec-reference block")
        #expect(generated == readme, "the README's spec reference is out of date: run `speakerlab spec reference --update README.md`")
        // Every leaf key appears in it with its default.
        #expect(readme.contains("| `finetune.optimizer.lr` | number | `0.0001` |"))
        #expect(readme.contains("| `pretrain.optimizer.momentum` | number | `0.9` | 0 ≤ x < 1 | sgd: SGD momentum |"))
    }
}
