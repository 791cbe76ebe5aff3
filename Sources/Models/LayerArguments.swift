import Diagnostics
import Yams

/// The range a model-graph number must lie in, printed in its error (`0 ≤ rate < 1`).
struct NumberRange {
    let lower: Double
    let lowerInclusive: Bool
    let upper: Double
    let upperInclusive: Bool

    /// lower ≤ x ≤ upper.
    static func closed(_ lower: Double, _ upper: Double) -> NumberRange { .init(lower: lower, lowerInclusive: true, upper: upper, upperInclusive: true) }
    /// lower ≤ x < upper.
    static func halfOpen(_ lower: Double, _ upper: Double) -> NumberRange { .init(lower: lower, lowerInclusive: true, upper: upper, upperInclusive: false) }
    /// lower < x < upper.
    static func open(_ lower: Double, _ upper: Double) -> NumberRange { .init(lower: lower, lowerInclusive: false, upper: upper, upperInclusive: false) }

    func contains(_ value: Double) -> Bool {
        (lowerInclusive ? value >= lower : value > lower) && (upperInclusive ? value <= upper : value < upper)
    }

    func describe(_ name: String) -> String {
        "\(Self.format(lower)) \(lowerInclusive ? "≤" : "<") \(name) \(upperInclusive ? "≤" : "<") \(Self.format(upper))"
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : "\(value)"
    }
}

/// One layer's arguments in a model graph, read with their types and ranges: every mistake is a
/// located error at the argument (or at the layer, for a missing one) naming what is allowed.
/// Values may be a block's `$parameters`, resolved through the bindings of the enclosing block.
struct LayerArguments {
    /// The layer's word.
    let kind: String
    /// The whole layer item (`- conv: {…}`), where errors about the layer point.
    let item: Node
    /// The arguments: a mapping, a scalar (`activation: relu`), or an empty mapping for a bare word.
    let value: Node
    /// The enclosing block's parameters.
    let bindings: [String: Node]
    /// The file, for locations.
    let document: YAMLDocument

    /// A located error at a node, or at the layer (also for a bare word's arguments, which have no place).
    func error(_ message: String, at node: Node? = nil) -> Diagnostic {
        document.error(message, at: node?.mark != nil ? node : item)
    }

    /// Follows a `$parameter` to its bound value.
    func resolve(_ node: Node) throws -> Node {
        guard let text = node.scalar?.string, text.hasPrefix("$") else { return node }
        let name = String(text.dropFirst())
        guard let bound = bindings[name] else {
            throw error("'\(text)' is not a parameter of the enclosing block; known: \(bindings.keys.sorted().joined(separator: ", "))", at: node)
        }
        return bound
    }

    /// How an argument is named in a message: `'filters'`, or `'filters' (set by $f)` when a
    /// block parameter gave it, since the error then points at the parameter's value.
    func label(_ name: String, _ written: Node) -> String {
        guard let text = written.scalar?.string, text.hasPrefix("$") else { return "'\(name)'" }
        return "'\(name)' (set by \(text))"
    }

    /// The argument's node as written (unresolved), when given.
    func given(_ name: String) -> Node? { value.mapping?[name] }

    /// The argument's node with parameters resolved, when given.
    func node(_ name: String) throws -> Node? {
        try given(name).map(resolve)
    }

    /// An integer argument in `range`; `defaultValue` nil means it is required.
    func integer(_ name: String, default defaultValue: Int? = nil, in range: ClosedRange<Int>) throws -> Int {
        guard let written = given(name) else {
            guard let defaultValue else { throw error("missing '\(name)'; \(kind) needs \(name): an integer in \(range.lowerBound)…\(range.upperBound)") }
            return defaultValue
        }
        let resolved = try resolve(written)
        guard let value = resolved.int else { throw error("\(label(name, written)) must be an integer in \(range.lowerBound)…\(range.upperBound); got \(Self.show(resolved))", at: resolved) }
        guard range.contains(value) else { throw error("\(label(name, written)) must be in \(range.lowerBound)…\(range.upperBound); got \(value)", at: resolved) }
        return value
    }

    /// An integer or a [height, width] pair of integers in `range`.
    func pair(_ name: String, default defaultValue: (Int, Int), in range: ClosedRange<Int>) throws -> (Int, Int) {
        guard let written = given(name) else { return defaultValue }
        let resolved = try resolve(written)
        let shape = "an integer or a pair [height, width] of integers in \(range.lowerBound)…\(range.upperBound)"
        let values: [Int?]
        if let single = resolved.int { values = [single, single] }
        else if let list = resolved.sequence, list.count == 2 { values = try list.map { try resolve($0).int } }
        else { throw error("\(label(name, written)) must be \(shape); got \(Self.show(resolved))", at: resolved) }
        guard let first = values[0], let second = values[1] else { throw error("\(label(name, written)) must be \(shape); got \(Self.show(resolved))", at: resolved) }
        guard range.contains(first), range.contains(second) else {
            throw error("\(label(name, written)) must be in \(range.lowerBound)…\(range.upperBound); got \(first == second ? "\(first)" : "[\(first), \(second)]")", at: resolved)
        }
        return (first, second)
    }

    /// A finite number argument in `range`.
    func number(_ name: String, default defaultValue: Double, in range: NumberRange) throws -> Double {
        guard let written = given(name) else { return defaultValue }
        let resolved = try resolve(written)
        guard let value = resolved.float ?? resolved.int.map(Double.init), resolved.bool == nil else {
            throw error("\(label(name, written)) must be a number with \(range.describe(name)); got \(Self.show(resolved))", at: resolved)
        }
        guard value.isFinite, range.contains(value) else { throw error("\(label(name, written)) must satisfy \(range.describe(name)); got \(value)", at: resolved) }
        return value
    }

    /// A true/false argument.
    func boolean(_ name: String, default defaultValue: Bool) throws -> Bool {
        guard let written = given(name) else { return defaultValue }
        let resolved = try resolve(written)
        guard let value = resolved.bool else { throw error("\(label(name, written)) must be true or false; got \(Self.show(resolved))", at: resolved) }
        return value
    }

    /// A word argument among `choices`.
    func word(_ name: String, default defaultValue: String, choices: [String]) throws -> String {
        guard let written = given(name) else { return defaultValue }
        let resolved = try resolve(written)
        guard let value = resolved.string, choices.contains(value) else {
            throw error("\(label(name, written)) must be one of \(choices.joined(separator: ", ")); got \(Self.show(resolved))", at: resolved)
        }
        return value
    }

    /// A required list-of-layers argument (`body:`), as written.
    func layers(_ name: String) throws -> Node {
        guard let written = given(name) else { throw error("\(kind) needs \(name): a list of layers") }
        let resolved = try resolve(written)
        guard resolved.sequence != nil else { throw error("\(label(name, written)) must be a list of layers", at: resolved) }
        return resolved
    }

    /// How a node is quoted in messages: its scalar text, or its kind.
    static func show(_ node: Node) -> String {
        if let text = node.scalar?.string { return text.isEmpty ? "nothing" : "'\(text)'" }
        return node.sequence != nil ? "a list" : "a mapping"
    }
}
