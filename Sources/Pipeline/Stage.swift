import Foundation

/// What a stage is: a kind, a code version, a typed `Parameters` value and a body that sees only
/// that value and its inputs' artifacts (DESIGN §3, the stage contract). The body is a static
/// function, so it can capture nothing; it receives the parameters decoded from the very
/// canonical value its key hashes, so a field that does not reach the key cannot reach the body.
public protocol StageDefinition {
    /// Everything that can change the stage's result.
    associatedtype Parameters: Codable & Hashable & Sendable
    /// What the stage does (`features`); part of the cache key.
    static var kind: String { get }
    /// Bumped by hand when the stage's semantics change; part of the cache key.
    static var codeVersion: Int { get }
    /// Produces the artifact from the parameters and the inputs' folders into `context.output`.
    static func run(_ parameters: Parameters, _ context: StageContext) throws
}

/// One node of a stage graph: a pure function of its parameters and its inputs' artifacts.
public struct Stage: @unchecked Sendable {
    /// A name unique in the graph (`features`, `pretrain`, `finetune@lr=0.001`).
    public let id: String
    /// What the stage does (`features`); part of the cache key.
    public let kind: String
    /// Bumped by hand when the stage's semantics change; part of the cache key.
    public let codeVersion: Int
    /// The resolved parameters that can change the result; part of the cache key.
    public let parameters: CanonicalValue
    /// The ids of the stages whose artifacts it reads.
    public let inputs: [String]
    /// Produces the artifact: writes files into `context.output`.
    let body: (StageContext) throws -> Void
    /// A pinned stage's key: an entry already in the cache (another run's trained model) that
    /// this graph reads but never computes. Nil for every computed stage.
    public let pinnedKey: CacheKey?

    /// A stage of a definition: its key hashes `parameters` (as canonical JSON), and its body
    /// receives that canonical value decoded back, nothing else.
    public init<Definition: StageDefinition>(_ definition: Definition.Type, id: String, parameters: Definition.Parameters, inputs: [String] = []) {
        let canonical = CanonicalValue(encoding: parameters)
        self.init(id: id, kind: Definition.kind, codeVersion: Definition.codeVersion, parameters: canonical, inputs: inputs) { context in
            try RunningStage.$kind.withValue(Definition.kind) {
                try Definition.run(try canonical.decoded(as: Definition.Parameters.self), context)
            }
        }
    }

    /// A stage from a closure: for the engine's own tests only; experiment stages are definitions.
    init(id: String, kind: String, codeVersion: Int = 1, parameters: CanonicalValue = .object([:]), inputs: [String] = [],
         body: @escaping (StageContext) throws -> Void) {
        self.init(id: id, kind: kind, codeVersion: codeVersion, parameters: parameters, inputs: inputs, pinnedKey: nil, body: body)
    }

    /// A pinned stage: its key is `key`, an entry another plan computed, so every stage that
    /// reads it has that key in its own. It is never run; when the entry is missing or damaged
    /// the stage fails with `missing`, which says how to make it again.
    public init(pinned id: String, key: CacheKey, missing: String) {
        self.init(id: id, kind: "pinned", codeVersion: 0, parameters: .object(["key": .string(key.hex)]), inputs: [], pinnedKey: key) { _ in
            throw PipelineError(missing)
        }
    }

    private init(id: String, kind: String, codeVersion: Int, parameters: CanonicalValue, inputs: [String], pinnedKey: CacheKey?,
                 body: @escaping (StageContext) throws -> Void) {
        self.id = id
        self.kind = kind
        self.codeVersion = codeVersion
        self.parameters = parameters
        self.inputs = inputs
        self.body = body
        self.pinnedKey = pinnedKey
    }

    /// The same stage under another id reading renamed inputs (a sweep names a shared stage after
    /// its first point); the body sees its inputs under their original ids.
    public func renamed(to newId: String, inputs renaming: [String: String]) -> Stage {
        let body = self.body
        let originalIds = inputs
        return Stage(id: newId, kind: kind, codeVersion: codeVersion, parameters: parameters, inputs: originalIds.map { renaming[$0]! }, pinnedKey: pinnedKey) { context in
            let inputs = Dictionary(uniqueKeysWithValues: originalIds.map { ($0, context.inputs[renaming[$0]!]!) })
            try body(StageContext(key: context.key, inputs: inputs, output: context.output, partial: context.partial))
        }
    }

    /// Runs the body (executors do; a Slurm job runs one stage of a rebuilt plan).
    public func run(_ context: StageContext) throws { try body(context) }
}

/// The kind of the stage whose body is running (nil outside one), for audits of what each stage
/// reads: set around a definition's body on the thread that runs it.
public enum RunningStage {
    /// The running stage's kind.
    @TaskLocal public static var kind: String?
}

/// What a running stage sees: its inputs' finished folders, a fresh output folder that becomes
/// its cache entry only if the stage succeeds, and a `partial` folder that survives a crash
/// (for resume state).
public struct StageContext: Sendable {
    /// The stage's key.
    public let key: CacheKey
    /// Each input stage's id → its finished artifact folder.
    public let inputs: [String: URL]
    /// Where to write the artifact (a temporary folder, renamed into the cache on success).
    public let output: URL
    /// Persists across attempts until the stage succeeds; cleared then.
    public let partial: URL

    /// Creates a context (the runner does; a wrapping stage may hand its inputs on renamed).
    public init(key: CacheKey, inputs: [String: URL], output: URL, partial: URL) {
        self.key = key
        self.inputs = inputs
        self.output = output
        self.partial = partial
    }
}

/// A stage graph that cannot be run as given.
public struct PipelineError: Error, CustomStringConvertible, Equatable, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
