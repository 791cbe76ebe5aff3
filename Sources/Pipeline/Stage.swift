import Foundation

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
    public let body: (StageContext) throws -> Void

    /// Creates a stage.
    public init(id: String, kind: String, codeVersion: Int = 1, parameters: CanonicalValue = .object([:]), inputs: [String] = [],
                body: @escaping (StageContext) throws -> Void) {
        self.id = id
        self.kind = kind
        self.codeVersion = codeVersion
        self.parameters = parameters
        self.inputs = inputs
        self.body = body
    }
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
