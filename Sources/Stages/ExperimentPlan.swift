import Audio
import Datasets
import Foundation
import Metrics
import Models
import NN
import Pipeline
import Randomness
import Reports
import Spec
import Tensor
import Training

/// Turns a validated experiment spec into the stage graph prepare → features → pretrain →
/// finetune → evaluate → report (stages absent from the spec are absent from the graph).
/// Each stage's parameters are exactly the spec sections that can change its result.
public struct ExperimentPlan {
    /// The validated spec.
    public let spec: CanonicalValue
    /// The model graph file the spec names, resolved.
    public let modelFile: String
    /// The stage graph.
    public let graph: StageGraph
    /// The experiment's name.
    public var name: String { spec["name"]?.string ?? "experiment" }

    /// Loads a spec file with overrides and plans it.
    public init(specPath: String, overrides: [String] = []) throws {
        let document = try SpecDocument(path: specPath, schema: ExperimentSchema.schema, overrides: overrides)
        let spec = document.value
        // The name is a folder under Results/: one safe path component, checked before anything is written.
        let name = spec["name"]?.string ?? ""
        if let problem = Self.unsafeName(name) {
            let place = document.explicit["name"]
            throw Diagnostic(file: place?.file ?? specPath, line: place?.line, column: place?.column,
                             message: "name '\(name)' \(problem); a name is one folder under the results folder: letters, digits, '.', '_', '-' and '+', starting with a letter or digit (e.g. name: quickstart-lr2)",
                             sourceLine: place?.sourceLine)
        }
        // Ranges of the fields the evidence and numerics work added (the schema checks only types).
        for (key, range, fix) in Self.ranges {
            var node: CanonicalValue? = spec
            for part in key.split(separator: ".") { node = node?[String(part)] }
            guard let value = node?.int, !range.contains(value) else { continue }
            let place = document.explicit[key]
            throw Diagnostic(file: place?.file ?? specPath, line: place?.line, column: place?.column,
                             message: "'\(key)' is \(value); it must be \(range.upperBound == Int.max ? "at least \(range.lowerBound)" : "from \(range.lowerBound) to \(range.upperBound)") (\(fix))",
                             sourceLine: place?.sourceLine)
        }
        // Options that do not apply to the chosen optimizer are errors, located where they were given.
        for section in ["pretrain", "finetune"] {
            guard let kind = spec[section]?["optimizer"]?["kind"]?.string, kind != "sgd" else { continue }
            for option in ["momentum", "nesterov"] {
                if let place = document.explicit["\(section).optimizer.\(option)"] {
                    throw Diagnostic(file: place.file, line: place.line, column: place.column,
                                     message: "'\(section).optimizer.\(option)' does not apply to \(kind); it is an SGD option — remove it or use kind: sgd",
                                     sourceLine: place.sourceLine)
                }
            }
        }
        let graphName = spec["model"]?["graph"]?.string ?? "deepspeaker.yaml"
        modelFile = try Self.resolveModel(graphName, specPath: specPath)
        self.spec = spec
        graph = try StageGraph(Self.stages(spec: spec, modelFile: modelFile))
    }

    /// Integer fields with a range, checked before any stage runs, with what each value means.
    static let ranges: [(key: String, range: ClosedRange<Int>, fix: String)] = [
        ("evaluate.bootstrap", 2...100_000, "the speaker bootstrap's resamples; 1,000 is the usual"),
        ("evaluate.nontarget_pairs", 1...100_000_000, "different-speaker pairs for the pairs protocol"),
        ("execution.threads", 0...4_096, "0 takes the CPUs this process may use"),
        ("dataset.seed", 0...Int.max, "0 takes the spec's seed"),
    ]

    /// Why a name cannot be a results folder, or nil when it can.
    static func unsafeName(_ name: String) -> String? {
        if name.isEmpty { return "is empty" }
        if name.count > 100 { return "is longer than 100 characters" }
        if name.contains("/") || name.contains("\\") { return "holds a path separator, so it would write outside its own folder" }
        if name == "." || name == ".." || name.hasPrefix(".") { return "starts with '.', which names the results folder itself, its parent or a hidden folder such as the cache" }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-+")
        if let bad = name.first(where: { !allowed.contains($0) }) { return "holds '\(bad)'" }
        return nil
    }

    /// Finds a model file: as given, in `Experiments/models/` above the spec, or under the working folder.
    static func resolveModel(_ name: String, specPath: String) throws -> String {
        if FileManager.default.fileExists(atPath: name) { return name }
        var folder = URL(fileURLWithPath: specPath).standardizedFileURL.deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = folder.appendingPathComponent("models").appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate.path }
            let nested = folder.appendingPathComponent("Experiments/models").appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: nested.path) { return nested.path }
            folder = folder.deletingLastPathComponent()
        }
        let fromWorkingFolder = FileManager.default.currentDirectoryPath + "/Experiments/models/" + name
        if FileManager.default.fileExists(atPath: fromWorkingFolder) { return fromWorkingFolder }
        throw Diagnostic(file: specPath, message: "model.graph names '\(name)', which is neither a path nor a file in Experiments/models/")
    }

    /// The code version of every stage that runs a network: the engine's numerics version, bumped
    /// when a kernel's rounding changes, so their cache entries renew (`Numerics.version`).
    static let engineVersion = Numerics.version

    /// The evaluate stage's own version beside the engine's (its code version is both):
    /// 1: speaker-bootstrap intervals, trial identities in scores.csv, identification.csv.
    static let evaluationVersion = 1

    /// What the numerics add to a network stage's parameters: nothing in reproducible mode (the
    /// result is the same everywhere); in fast mode the mode and this machine's BLAS kernel family,
    /// so a fast result is only reused by a machine that makes the same one.
    static func numericsParameters(_ spec: CanonicalValue) -> [String: CanonicalValue] {
        guard spec["execution"]?["numerics"]?.string == NumericsMode.fast.rawValue else { return [:] }
        return ["numerics": .object(["mode": .string("fast"), "blas_kernel": .string(Numerics.kernelName(for: .fast))])]
    }

    static func stages(spec: CanonicalValue, modelFile: String) throws -> [Stage] {
        let seed = CanonicalValue.integer(spec["seed"]?.int ?? 1)
        let modelText = (try? String(contentsOfFile: modelFile, encoding: .utf8)) ?? ""
        let model: CanonicalValue = .object(["section": spec["model"] ?? .null, "graph_text": .string(modelText)])
        let numerics = numericsParameters(spec)
        var stages = [
            Stage(id: "prepare", kind: "prepare", parameters: .object(["dataset": spec["dataset"] ?? .null, "seed": seed])) { try ExperimentStages.prepare(spec, $0) },
            Stage(id: "features", kind: "features", parameters: .object(["features": spec["features"] ?? .null]), inputs: ["prepare"]) { try ExperimentStages.features(spec, $0) },
        ]
        var last = "features"
        if spec["pretrain"] != nil {
            stages.append(Stage(id: "pretrain", kind: "pretrain", codeVersion: engineVersion, parameters: .object(["pretrain": spec["pretrain"]!, "model": model, "seed": seed,
                                                                                      "validation": spec["dataset"]?["validation_fraction"] ?? .null].merging(numerics) { $1 }),
                                inputs: [last]) { try ExperimentStages.pretrain(spec, modelFile: modelFile, $0) })
            last = "pretrain"
        }
        if spec["finetune"] != nil {
            stages.append(Stage(id: "finetune", kind: "finetune", codeVersion: engineVersion, parameters: .object(["finetune": spec["finetune"]!, "model": model, "seed": seed,
                                                                                      "enrolment": spec["evaluate"]?["enrolment"] ?? .null].merging(numerics) { $1 }),
                                inputs: Array(Set(["features", last])).sorted()) { try ExperimentStages.finetune(spec, modelFile: modelFile, $0) })
            last = "finetune"
        }
        stages.append(Stage(id: "evaluate", kind: "evaluate", codeVersion: engineVersion * 1000 + evaluationVersion, parameters: .object(["evaluate": spec["evaluate"] ?? .null, "model": model, "seed": seed].merging(numerics) { $1 }),
                            inputs: Array(Set(["features", last])).sorted()) { try ExperimentStages.evaluate(spec, modelFile: modelFile, $0) })
        // The report draws the sample utterance with the spec's front end, so features settings are its parameters.
        stages.append(Stage(id: "report", kind: "report", codeVersion: 3, parameters: .object(["features": spec["features"] ?? .null]),
                            inputs: ["prepare", "evaluate"] + (spec["pretrain"] != nil ? ["pretrain"] : []) + (spec["finetune"] != nil ? ["finetune"] : [])) {
            try ExperimentStages.report(spec, $0)
        })
        return stages
    }
}
