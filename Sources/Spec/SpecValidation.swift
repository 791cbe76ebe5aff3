import Diagnostics
import Pipeline
import Yams

/// Checks a spec tree against its schema: unknown keys, types, choices, ranges and tagged
/// unions, each failure a located `Diagnostic`; returns the canonical value with defaults.
enum SpecValidation {
    static func validate(_ tree: SpecTree?, schema: SpecSchema, path: [String]) throws -> CanonicalValue {
        let dotted = path.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        switch schema {
        case let .object(fields):
            let entries = try mapping(tree, dotted: dotted, keys: schema.keys)
            for entry in entries where fields[entry.key] == nil {
                throw error(entry, "unknown key '\(entry.key)'\(dotted.isEmpty ? "" : " in '\(dotted)'"); known: \(schema.keys.joined(separator: ", "))")
            }
            return .object(try Self.fields(fields, entries: entries, path: path))
        case let .tagged(tag, choices, defaultChoice):
            let entries = try mapping(tree, dotted: dotted, keys: schema.keys)
            let tagEntry = entries.first { $0.key == tag }
            let kind = try tagEntry.map { try validate($0.value, schema: .string(allowed: choices.keys.sorted()), path: path + [tag]).string! } ?? defaultChoice
            let fields = choices[kind]!
            var kept: [SpecTree.Entry] = []
            for entry in entries where entry.key != tag {
                if fields[entry.key] != nil { kept.append(entry); continue }
                let owners = choices.filter { $0.value[entry.key] != nil }.keys.sorted()
                guard !owners.isEmpty else {
                    throw error(entry, "unknown key '\(entry.key)' in '\(dotted)'; \(kind) takes: \(([tag] + fields.keys.sorted()).joined(separator: ", "))")
                }
                // Given for the kind an earlier layer chose, before this kind replaced it: dropped.
                if let tagEntry, entry.layer < tagEntry.layer { continue }
                throw error(entry, "'\(dotted).\(entry.key)' does not apply to \(tag) \(kind); it is an option of \(owners.joined(separator: " and ")) — remove it or set \(tag): \(owners[0])")
            }
            return .object(try self.fields(fields, entries: kept, path: path).merging([tag: .string(kind)]) { $1 })
        case let .list(element):
            guard case let .leaf(located)? = tree else { throw failure(tree, "'\(dotted)' must be a list") }
            // A single value where a list is expected is a list of one.
            let items = located.node.sequence.map(Array.init) ?? (located.node.scalar != nil && located.node.null == nil ? [located.node] : nil)
            guard let items else { throw failure(tree, "'\(dotted)' must be a list") }
            return .list(try items.enumerated().map { index, item in
                try validate(.leaf(Located(node: item, file: located.file, lines: located.lines, layer: located.layer)), schema: element, path: path + ["[\(index)]"])
            })
        default:
            return try scalar(tree, schema: schema, dotted: dotted)
        }
    }

    typealias Located = SpecTree.Located

    static func mapping(_ tree: SpecTree?, dotted: String, keys: [String]) throws -> [SpecTree.Entry] {
        guard let tree else { return [] }
        guard case let .mapping(entries) = tree else { throw failure(tree, "'\(dotted)' must be a mapping with keys \(keys.joined(separator: ", "))") }
        return entries
    }

    /// The fields of a mapping: given values validated and checked against their constraint,
    /// defaults filled in, sections without a default left out unless given.
    static func fields(_ fields: [String: SpecSchema.Field], entries: [SpecTree.Entry], path: [String]) throws -> [String: CanonicalValue] {
        var result: [String: CanonicalValue] = [:]
        for (key, field) in fields {
            let given = entries.first { $0.key == key }
            guard let given else {
                switch field.schema {
                case .object, .tagged:
                    if field.defaultValue != nil { result[key] = try validate(nil, schema: field.schema, path: path + [key]) }
                default:
                    if let defaultValue = field.defaultValue { result[key] = defaultValue }
                }
                continue
            }
            let value = try validate(given.value, schema: field.schema, path: path + [key])
            if let constraint = field.constraint, let problem = constraint.problem(value) {
                throw failure(given.value, "'\((path + [key]).joined(separator: ".").replacingOccurrences(of: ".[", with: "["))' is \(describe(value)); \(problem) (\(field.summary))")
            }
            result[key] = value
        }
        return result
    }

    static func scalar(_ tree: SpecTree?, schema: SpecSchema, dotted: String) throws -> CanonicalValue {
        guard case let .leaf(located)? = tree, located.node.scalar != nil, located.node.null == nil else {
            throw failure(tree, "'\(dotted)' must be \(schema.expectation)")
        }
        let node = located.node
        switch schema {
        case let .string(allowed):
            let text = node.string ?? ""
            if let allowed, !allowed.contains(text) { throw failure(tree, "'\(dotted)' is '\(text)'; it must be one of \(allowed.joined(separator: ", "))") }
            return .string(text)
        case .integer:
            guard let value = node.int else { throw failure(tree, "'\(dotted)' must be an integer, not '\(node.string ?? "")'") }
            return .integer(value)
        case .number:
            guard let value = node.int.map(Double.init) ?? node.float else { throw failure(tree, "'\(dotted)' must be a number, not '\(node.string ?? "")'") }
            guard value.isFinite else { throw failure(tree, "'\(dotted)' is \(value); it must be a finite number") }
            return .number(value)
        case .boolean:
            guard let value = node.bool else { throw failure(tree, "'\(dotted)' must be true or false, not '\(node.string ?? "")'") }
            return .bool(value)
        default:
            throw failure(tree, "'\(dotted)' must be \(schema.expectation)")
        }
    }

    static func describe(_ value: CanonicalValue) -> String {
        if case let .string(text) = value { return "'\(text)'" }
        return value.canonicalText
    }

    static func error(_ entry: SpecTree.Entry, _ message: String) -> Diagnostic {
        entry.keyNode?.error(message) ?? Diagnostic(file: "--set", message: message)
    }

    static func failure(_ tree: SpecTree?, _ message: String) -> Diagnostic {
        switch tree {
        case let .leaf(located)?: return located.error(message)
        case let .mapping(entries)?: return entries.first?.keyNode?.error(message) ?? Diagnostic(file: "--set", message: message)
        default: return Diagnostic(file: "spec", message: message)
        }
    }
}
