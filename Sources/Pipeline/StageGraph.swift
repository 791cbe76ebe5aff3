import Foundation

/// A DAG of stages with each stage's cache key: the SHA-256 of its kind, code version,
/// parameters and its inputs' keys, so a stage's key changes exactly when something it
/// depends on changes.
public struct StageGraph: Sendable {
    /// Stages in topological order (inputs before the stages that read them).
    public let stages: [Stage]
    /// Each stage's key.
    public let keys: [String: CacheKey]

    /// Checks ids, inputs and cycles, orders the stages and computes their keys.
    public init(_ stages: [Stage]) throws {
        var byId: [String: Stage] = [:]
        for stage in stages {
            guard byId[stage.id] == nil else { throw PipelineError("two stages are named '\(stage.id)'") }
            byId[stage.id] = stage
        }
        for stage in stages {
            for input in stage.inputs where byId[input] == nil {
                throw PipelineError("stage '\(stage.id)' reads '\(input)', which is not a stage of this plan")
            }
        }
        // Depth-first topological sort; a grey node met again is a cycle, reported in order.
        var order: [Stage] = []
        var state: [String: Int] = [:]  // 1 visiting, 2 done
        func visit(_ id: String, path: [String]) throws {
            if state[id] == 2 { return }
            if state[id] == 1 {
                let cycle = path.drop(while: { $0 != id }) + [id]
                throw PipelineError("the stages form a cycle: \(cycle.joined(separator: " → "))")
            }
            state[id] = 1
            for input in byId[id]!.inputs { try visit(input, path: path + [id]) }
            state[id] = 2
            order.append(byId[id]!)
        }
        for stage in stages { try visit(stage.id, path: []) }
        var keys: [String: CacheKey] = [:]
        for stage in order {
            keys[stage.id] = stage.pinnedKey ?? CacheKey(kind: stage.kind, codeVersion: stage.codeVersion, parameters: stage.parameters,
                                      inputs: stage.inputs.map { keys[$0]! })
        }
        self.stages = order
        self.keys = keys
    }

    /// The stages that read `id`, directly or not.
    public func dependents(of id: String) -> Set<String> {
        var result: Set<String> = []
        var changed = true
        while changed {
            changed = false
            for stage in stages where !result.contains(stage.id) && stage.inputs.contains(where: { $0 == id || result.contains($0) }) {
                result.insert(stage.id)
                changed = true
            }
        }
        return result
    }
}
