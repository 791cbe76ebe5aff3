import Foundation
import Pipeline
import Yams

/// A spec file read with every node's location, `extends:` resolved by deep merge (the child's
/// keys win; mappings merge, everything else is replaced), validated against a schema with
/// defaults filled in, and `--set key=value` overrides applied before validation.
public struct SpecDocument {
    /// The validated value, defaults included.
    public let value: CanonicalValue
    /// The dotted keys the files or `--set` gave explicitly (not filled from defaults), with
    /// where each was given, for rules such as "momentum does not apply to Adam".
    public let explicit: [String: Diagnostic]
    /// The spec's `sweep:` block as overrides: `grid` lists become `key=a,b` (a grid axis each),
    /// `zip` lists become `key=a,b` to advance together.
    public let sweepGrid: [String]
    public let sweepZip: [String]

    /// Loads `path`, resolves `extends`, applies overrides, validates against `schema`.
    public init(path: String, schema: SpecSchema, overrides: [String] = []) throws {
        var merged = try Self.loadWithExtends(path: path, seen: [])
        (sweepGrid, sweepZip) = try Self.extractSweep(&merged)
        for override in overrides { try Self.apply(override, to: &merged, schema: schema) }
        value = try Self.validate(merged, schema: schema, path: [])
        var explicit: [String: Diagnostic] = [:]
        Self.collectExplicit(merged, path: [], into: &explicit)
        self.explicit = explicit
    }

    /// Removes `sweep:` from the tree and returns its axes as override strings.
    static func extractSweep(_ tree: inout Tree) throws -> (grid: [String], zip: [String]) {
        guard case let .mapping(pairs) = tree, let sweep = pairs.first(where: { $0.key == "sweep" }) else { return ([], []) }
        tree = .mapping(pairs.filter { $0.key != "sweep" })
        var grid: [String] = [], zip: [String] = []
        guard case let .mapping(kinds) = sweep.value else { throw sweep.keyNode?.error("sweep holds grid: and/or zip:, each a mapping of keys to lists") ?? Diagnostic(file: "spec", message: "bad sweep") }
        for kind in kinds {
            guard kind.key == "grid" || kind.key == "zip", case let .mapping(axes) = kind.value else {
                throw kind.keyNode?.error("sweep holds grid: and/or zip:, each a mapping of keys to lists") ?? Diagnostic(file: "spec", message: "bad sweep")
            }
            for axis in axes {
                guard case let .leaf(located) = axis.value, let items = located.node.sequence, !items.isEmpty else {
                    throw axis.keyNode?.error("sweep.\(kind.key).\(axis.key) must be a list of values") ?? Diagnostic(file: "spec", message: "bad sweep")
                }
                let entry = axis.key + "=" + items.map { $0.string ?? "" }.joined(separator: ",")
                if kind.key == "grid" { grid.append(entry) } else { zip.append(entry) }
            }
        }
        return (grid, zip)
    }

    static func collectExplicit(_ tree: Tree, path: [String], into result: inout [String: Diagnostic]) {
        switch tree {
        case let .mapping(pairs):
            for pair in pairs {
                let key = (path + [pair.key]).joined(separator: ".")
                if let located = pair.keyNode { result[key] = located.error("") } else { result[key] = Diagnostic(file: "--set \(key)", message: "") }
                collectExplicit(pair.value, path: path + [pair.key], into: &result)
            }
        case let .override(_, key):
            result[key] = Diagnostic(file: "--set \(key)", message: "")
        case .leaf:
            break
        }
    }

    /// A node with the file and lines it came from, so later errors can point at it.
    struct Located {
        let node: Node
        let file: String
        let lines: [String]

        func error(_ message: String, at node: Node? = nil) -> Diagnostic {
            let mark = (node ?? self.node).mark
            return Diagnostic(file: file, line: mark?.line, column: mark?.column, message: message,
                              sourceLine: mark.flatMap { $0.line >= 1 && $0.line <= lines.count ? lines[$0.line - 1] : nil })
        }
    }

    /// The merged tree: values keep their origin for diagnostics.
    indirect enum Tree {
        case mapping([(key: String, keyNode: Located?, value: Tree)])
        case leaf(Located)
        case override(String, key: String)

        subscript(key: String) -> Tree? {
            guard case let .mapping(pairs) = self else { return nil }
            return pairs.first { $0.key == key }?.value
        }
    }

    static func loadWithExtends(path: String, seen: [String]) throws -> Tree {
        let resolved = URL(fileURLWithPath: path).standardizedFileURL.path
        guard !seen.contains(resolved) else {
            throw Diagnostic(file: path, message: "extends forms a cycle: \((seen + [resolved]).joined(separator: " → "))")
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw Diagnostic(file: path, message: "cannot read the spec; check the path")
        }
        let lines = text.components(separatedBy: "\n")
        let root: Node
        do {
            guard let composed = try Yams.compose(yaml: text) else { throw Diagnostic(file: path, message: "the spec is empty") }
            root = composed
        } catch let error as YamlError {
            if case let .parser(_, problem, mark, _) = error {
                throw Diagnostic(file: path, line: mark.line, column: mark.column, message: "not valid YAML: \(problem)", sourceLine: mark.line <= lines.count ? lines[mark.line - 1] : nil)
            }
            if case let .scanner(_, problem, mark, _) = error {
                throw Diagnostic(file: path, line: mark.line, column: mark.column, message: "not valid YAML: \(problem)", sourceLine: mark.line <= lines.count ? lines[mark.line - 1] : nil)
            }
            throw Diagnostic(file: path, message: "not valid YAML: \(error)")
        }
        guard root.mapping != nil else { throw Located(node: root, file: path, lines: lines).error("a spec is a mapping of sections (name, dataset, model, …)") }
        var tree = tree(root, file: path, lines: lines)
        if let parent = root.mapping?["extends"] {
            guard let relative = parent.string else { throw Located(node: parent, file: path, lines: lines).error("extends takes a file name") }
            let base = relative.hasPrefix("/") ? relative : URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(relative).path
            guard FileManager.default.fileExists(atPath: base) else {
                throw Located(node: parent, file: path, lines: lines).error("extends names '\(relative)', which does not exist next to this spec")
            }
            tree = merge(try loadWithExtends(path: base, seen: seen + [resolved]), tree)
        }
        if case let .mapping(pairs) = tree { tree = .mapping(pairs.filter { $0.key != "extends" }) }
        return tree
    }

    static func tree(_ node: Node, file: String, lines: [String]) -> Tree {
        if let mapping = node.mapping {
            return .mapping(mapping.map { (key: $0.key.string ?? "", keyNode: Located(node: $0.key, file: file, lines: lines), value: tree($0.value, file: file, lines: lines)) })
        }
        return .leaf(Located(node: node, file: file, lines: lines))
    }

    /// Merges a child spec over its base. A child key set to null (`pretrain: null`, `~`) removes
    /// the inherited key or section, so a spec can drop what its base adds.
    static func merge(_ base: Tree, _ child: Tree) -> Tree {
        guard case let .mapping(basePairs) = base, case let .mapping(childPairs) = child else { return child }
        var result = basePairs
        for pair in childPairs {
            if case let .leaf(located) = pair.value, located.node.null != nil {
                result.removeAll { $0.key == pair.key }
                continue
            }
            if let index = result.firstIndex(where: { $0.key == pair.key }) {
                result[index] = (pair.key, pair.keyNode, merge(result[index].value, pair.value))
            } else {
                result.append(pair)
            }
        }
        return .mapping(result)
    }

    /// Applies `a.b.c=value`: the path must exist in the schema; the value is read as YAML.
    /// `~a.b` (or `a.b=null`) removes the key or section, as `a: {b: null}` does in a child spec.
    static func apply(_ override: String, to tree: inout Tree, schema: SpecSchema) throws {
        if override.hasPrefix("~") || override.hasSuffix("=null") || override.hasSuffix("=~") {
            let dotted = override.hasPrefix("~") ? String(override.dropFirst()) : String(override[..<override.lastIndex(of: "=")!])
            let path = dotted.split(separator: ".").map(String.init)
            guard !path.isEmpty else { throw Diagnostic(file: "--set", message: "'\(override)' names no key; write ~section or ~section.key") }
            var cursor = schema
            for (depth, key) in path.enumerated() {
                guard case let .object(fields) = cursor, let field = fields[key] else {
                    throw Diagnostic(file: "--set", message: "'\(path.prefix(depth + 1).joined(separator: "."))' is not a spec key, so it cannot be removed")
                }
                cursor = field.schema
            }
            func remove(_ tree: Tree, _ remaining: ArraySlice<String>) -> Tree {
                guard case var .mapping(pairs) = tree, let key = remaining.first else { return tree }
                if remaining.count == 1 { pairs.removeAll { $0.key == key } }
                else if let index = pairs.firstIndex(where: { $0.key == key }) { pairs[index].value = remove(pairs[index].value, remaining.dropFirst()) }
                return .mapping(pairs)
            }
            tree = remove(tree, path[...])
            return
        }
        guard let equals = override.firstIndex(of: "=") else {
            throw Diagnostic(file: "--set", message: "'\(override)' must look like section.key=value, or ~section.key to remove it")
        }
        let path = override[..<equals].split(separator: ".").map(String.init)
        let text = String(override[override.index(after: equals)...])
        var cursor = schema
        for (depth, key) in path.enumerated() {
            guard case let .object(fields) = cursor, let field = fields[key] else {
                let known: String
                if case let .object(fields) = cursor { known = fields.keys.sorted().joined(separator: ", ") } else { known = "none (it is a value)" }
                throw Diagnostic(file: "--set", message: "'\(path.prefix(depth + 1).joined(separator: "."))' is not a spec key; keys here: \(known)")
            }
            cursor = field.schema
        }
        func set(_ tree: Tree, _ remaining: ArraySlice<String>) -> Tree {
            guard let key = remaining.first else { return .override(text, key: path.joined(separator: ".")) }
            var pairs: [(key: String, keyNode: Located?, value: Tree)] = []
            if case let .mapping(existing) = tree { pairs = existing }
            if let index = pairs.firstIndex(where: { $0.key == key }) {
                pairs[index].value = set(pairs[index].value, remaining.dropFirst())
            } else {
                pairs.append((key, nil, set(.mapping([]), remaining.dropFirst())))
            }
            return .mapping(pairs)
        }
        tree = set(tree, path[...])
    }

    /// Checks a tree against a schema and returns its canonical value with defaults.
    static func validate(_ tree: Tree?, schema: SpecSchema, path: [String]) throws -> CanonicalValue {
        let dotted = path.joined(separator: ".")
        switch schema {
        case let .object(fields):
            var pairs: [(key: String, keyNode: Located?, value: Tree)] = []
            if let tree {
                guard case let .mapping(existing) = tree else { throw failure(tree, "'\(dotted)' must be a mapping with keys \(fields.keys.sorted().joined(separator: ", "))") }
                pairs = existing
            }
            var result: [String: CanonicalValue] = [:]
            for pair in pairs where fields[pair.key] == nil {
                let message = "unknown key '\(pair.key)'\(dotted.isEmpty ? "" : " in '\(dotted)'"); known: \(fields.keys.sorted().joined(separator: ", "))"
                throw pair.keyNode?.error(message) ?? Diagnostic(file: "--set", message: message)
            }
            for (key, field) in fields {
                let given = pairs.first { $0.key == key }?.value
                if given == nil, case .object = field.schema, field.defaultValue != nil {
                    result[key] = try validate(nil, schema: field.schema, path: path + [key])  // a section that is always present
                    continue
                }
                if given == nil, let defaultValue = field.defaultValue { result[key] = defaultValue; continue }
                if given == nil, case .object = field.schema, field.defaultValue == nil { continue }
                guard given != nil || field.defaultValue != nil else { continue }
                result[key] = try validate(given, schema: field.schema, path: path + [key])
            }
            return .object(result)
        case let .list(element):
            var listTree = tree
            if case let .override(text, key)? = tree, let composed = try? Yams.compose(yaml: text) {
                listTree = .leaf(Located(node: composed, file: "--set \(key)", lines: [text]))
            }
            guard let listTree, case let .leaf(located) = listTree, let items = located.node.sequence else {
                throw failure(tree, "'\(dotted)' must be a list")
            }
            return .list(try items.enumerated().map { index, item in
                try validate(.leaf(Located(node: item, file: located.file, lines: located.lines)), schema: element, path: path + ["[\(index)]"])
            })
        default:
            return try scalar(tree, schema: schema, dotted: dotted)
        }
    }

    static func scalar(_ tree: Tree?, schema: SpecSchema, dotted: String) throws -> CanonicalValue {
        let node: Node
        switch tree {
        case let .leaf(located)?: node = located.node
        case let .override(text, _)?: node = (try? Yams.compose(yaml: text)) ?? Node(text)
        default: throw failure(tree, "'\(dotted)' must be \(schema.expectation)")
        }
        switch schema {
        case let .string(allowed):
            guard let text = node.string, node.scalar != nil else { throw failure(tree, "'\(dotted)' must be \(schema.expectation)") }
            if let allowed, !allowed.contains(text) { throw failure(tree, "'\(dotted)' is '\(text)'; it must be one of \(allowed.joined(separator: ", "))") }
            return .string(text)
        case .integer:
            guard let value = node.int else { throw failure(tree, "'\(dotted)' must be an integer") }
            return .integer(value)
        case .number:
            guard let value = node.float ?? node.int.map(Double.init) else { throw failure(tree, "'\(dotted)' must be a number") }
            return .number(value)
        case .boolean:
            guard let value = node.bool else { throw failure(tree, "'\(dotted)' must be true or false") }
            return .bool(value)
        case .numbers:
            if let value = node.float ?? node.int.map(Double.init) { return .number(value) }
            guard let items = node.sequence, case let values = items.compactMap({ $0.float ?? $0.int.map(Double.init) }), values.count == items.count else {
                throw failure(tree, "'\(dotted)' must be a number or a list of numbers")
            }
            return .list(values.map { .number($0) })
        default:
            throw failure(tree, "'\(dotted)' has an unsupported schema")
        }
    }

    static func failure(_ tree: Tree?, _ message: String) -> Diagnostic {
        switch tree {
        case let .leaf(located)?: return located.error(message)
        case let .override(_, key)?: return Diagnostic(file: "--set \(key)", message: message)
        default: return Diagnostic(file: "spec", message: message)
        }
    }
}
