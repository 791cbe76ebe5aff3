import Diagnostics
import Yams

/// One `--set` override: `a.b=value` sets a key (the value read as YAML, so `[1, 2]` is a list
/// and `{kind: adam}` a mapping merged over the section), `~a.b` or `a.b=null` removes an
/// inherited key or section.
struct SpecOverride {
    /// The dotted key.
    let path: [String]
    /// The YAML text of the value; nil removes the key.
    let text: String?

    /// Parses `a.b=value` or `~a.b`.
    init(_ override: String) throws {
        if override.hasPrefix("~") {
            path = override.dropFirst().split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            text = nil
        } else {
            guard let equals = override.firstIndex(of: "=") else {
                throw Diagnostic(file: "--set", message: "'\(override)' must look like section.key=value, or ~section.key to remove it")
            }
            path = override[..<equals].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            let value = String(override[override.index(after: equals)...])
            text = value == "null" || value == "~" ? nil : value
        }
        guard !path.isEmpty, !path.contains(where: \.isEmpty) else {
            throw Diagnostic(file: "--set", message: "'\(override)' names no key; write section.key=value or ~section.key")
        }
    }

    var dotted: String { path.joined(separator: ".") }

    /// Applies the override to a tree as layer `layer`; the key must exist in `schema`.
    func apply(to tree: inout SpecTree, schema: SpecSchema, layer: Int) throws {
        var cursor = schema
        for (depth, key) in path.enumerated() {
            guard let field = cursor.field(key) else {
                let known = cursor.keys.isEmpty ? "none (it is a value)" : cursor.keys.joined(separator: ", ")
                throw Diagnostic(file: "--set", message: "'\(path.prefix(depth + 1).joined(separator: "."))' is not a spec key\(text == nil ? ", so it cannot be removed" : ""); keys here: \(known)")
            }
            cursor = field.schema
        }
        guard let text else {
            tree = Self.removing(tree, path[...])
            return
        }
        let file = "--set \(dotted)"
        // Read as YAML; text YAML cannot parse (`a: b: c`) is taken as the plain string it is. An
        // alias bomb is an error, not a string.
        let node = ((try? Yams.compose(yaml: text)) ?? nil) ?? Node(text)
        try YAMLDocument(file: file, text: text).checkExpansion(node)
        let value = SpecTree.from(node, file: file, lines: [text], layer: layer)
        tree = Self.setting(tree, path[...], value: value, layer: layer)
    }

    static func removing(_ tree: SpecTree, _ remaining: ArraySlice<String>) -> SpecTree {
        guard case var .mapping(entries) = tree, let key = remaining.first else { return tree }
        if remaining.count == 1 { entries.removeAll { $0.key == key } }
        else if let index = entries.firstIndex(where: { $0.key == key }) { entries[index].value = removing(entries[index].value, remaining.dropFirst()) }
        return .mapping(entries)
    }

    /// Sets the value at a path; a mapping value merges over the mapping already there.
    static func setting(_ tree: SpecTree, _ remaining: ArraySlice<String>, value: SpecTree, layer: Int) -> SpecTree {
        guard let key = remaining.first else {
            if case .mapping = value, case .mapping = tree { return SpecTree.merge(tree, value) }
            return value
        }
        var entries: [SpecTree.Entry] = []
        if case let .mapping(existing) = tree { entries = existing }
        if let index = entries.firstIndex(where: { $0.key == key }) {
            let child = setting(entries[index].value, remaining.dropFirst(), value: value, layer: layer)
            entries[index] = SpecTree.Entry(key: key, keyNode: entries[index].keyNode, layer: remaining.count == 1 ? layer : entries[index].layer, value: child)
        } else {
            entries.append(SpecTree.Entry(key: key, keyNode: nil, layer: layer, value: setting(.mapping([]), remaining.dropFirst(), value: value, layer: layer)))
        }
        return .mapping(entries)
    }

    /// A `--set` value split into sweep values at its top-level commas: commas inside quotes,
    /// brackets or braces do not split (`"a,b"` and `[1, 2]` are one value each).
    static func values(_ text: Substring) -> [String] {
        var values: [String] = [], current = "", depth = 0
        var quote: Character? = nil
        for character in text {
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "[" || character == "{" {
                depth += 1
            } else if character == "]" || character == "}" {
                depth -= 1
            } else if character == ",", depth == 0 {
                values.append(current)
                current = ""
                continue
            }
            current.append(character)
        }
        values.append(current)
        return values
    }
}
