import Foundation
import Testing
import TestSupport
import Pipeline
@testable import Spec

@Suite struct SpecDocumentTests {
    static func write(_ files: [String: String]) throws -> TemporaryDirectory {
        let folder = TemporaryDirectory()
        for (name, text) in files { try text.write(toFile: folder.path(name), atomically: true, encoding: .utf8) }
        return folder
    }

    static func field(_ value: CanonicalValue, _ path: String) -> CanonicalValue? {
        var current: CanonicalValue? = value
        for key in path.split(separator: ".") {
            guard case let .object(members)? = current else { return nil }
            current = members[String(key)]
        }
        return current
    }

    @Test func defaultsFillAndAbsentStagesStayAbsent() throws {
        let folder = try Self.write(["a.yaml": "name: demo\npretrain:\n  epochs: 3\n"])
        let spec = try SpecSource(path: folder.path("a.yaml")).resolve(overrides: [], schema: ExperimentSchema.schema).value
        #expect(Self.field(spec, "pretrain.epochs") == .integer(3))
        #expect(Self.field(spec, "pretrain.optimizer.lr") == .number(0.01))
        #expect(Self.field(spec, "features.bands") == .integer(40))
        #expect(Self.field(spec, "finetune") == nil)
    }

    @Test func extendsMergesDeeplyAndSetOverridesWin() throws {
        let folder = try Self.write([
            "base.yaml": "name: base\nfinetune:\n  steps: 100\n  optimizer: {kind: sgd, lr: 0.001}\n",
            "child.yaml": "extends: base.yaml\nname: child\nfinetune:\n  optimizer: {lr: 0.0001}\n",
        ])
        let spec = try SpecSource(path: folder.path("child.yaml")).resolve(overrides: ["finetune.steps=7"], schema: ExperimentSchema.schema).value
        #expect(Self.field(spec, "name") == .string("child"))
        #expect(Self.field(spec, "finetune.optimizer.lr") == .number(0.0001))
        #expect(Self.field(spec, "finetune.optimizer.kind") == .string("sgd"))
        #expect(Self.field(spec, "finetune.steps") == .integer(7))
    }

    @Test func cosmeticEditsGiveTheSameCanonicalText() throws {
        let folder = try Self.write([
            "a.yaml": "name: x\npretrain:\n  epochs: 3\n  batch: 16\n",
            "b.yaml": "# a comment\npretrain: {batch: 16, epochs: 3}   # reordered\nname: x\n",
        ])
        let a = try SpecSource(path: folder.path("a.yaml")).resolve(overrides: [], schema: ExperimentSchema.schema).value
        let b = try SpecSource(path: folder.path("b.yaml")).resolve(overrides: [], schema: ExperimentSchema.schema).value
        #expect(a.canonicalText == b.canonicalText)
    }

    @Test func mistakesAreLocatedWithTheFix() throws {
        let folder = try Self.write([
            "unknown.yaml": "name: x\npretrain:\n  epoch: 3\n",
            "type.yaml": "name: x\nfeatures:\n  bands: many\n",
            "choice.yaml": "model:\n  graph: deepspeaker.yaml\nfinetune:\n  mining: hardest\n",
            "cycle.yaml": "extends: cycle.yaml\n",
        ])
        func message(_ file: String, overrides: [String] = []) -> String {
            do { _ = try SpecSource(path: folder.path(file)).resolve(overrides: overrides, schema: ExperimentSchema.schema); return "no error" } catch { return "\(error)" }
        }
        #expect(message("unknown.yaml").hasPrefix(folder.path("unknown.yaml") + ":3:3: error: unknown key 'epoch' in 'pretrain'; known: aam_margin, aam_margin_warmup, aam_scale, average_last, batch, early_stopping, epochs"))
        #expect(message("unknown.yaml").hasSuffix("\n  epoch: 3\n  ^"))
        #expect(message("type.yaml").hasPrefix(folder.path("type.yaml") + ":3:10: error: 'features.bands' must be an integer"))
        #expect(message("choice.yaml").contains(":4:11: error: 'finetune.mining' is 'hardest'; it must be one of random, hard"))
        #expect(message("cycle.yaml").contains("extends forms a cycle"))
        #expect(message("type.yaml", overrides: ["features.band=3"]) == "--set: error: 'features.band' is not a spec key; keys here: aggressiveness, bands, coefficients, cut, kind, normalization, rate, scale, seconds, vad")
    }
}
