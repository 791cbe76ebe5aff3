import Diagnostics
import Foundation
import Yams

/// A spec as read from its files and overrides, before validation: mappings whose entries keep
/// where they came from (for located errors) and which layer gave them (a base spec, the spec
/// itself, then each `--set` in order), so a later layer's choice of optimizer kind can drop the
/// options an earlier layer gave for another kind.
indirect enum SpecTree {
    /// A mapping, in file order.
    case mapping([Entry])
    /// A scalar or a sequence, as YAML gave it.
    case leaf(Located)

    /// One key of a mapping.
    struct Entry {
        let key: String
        /// The key's node, for errors about the key itself (nil for keys made by `--set`).
        let keyNode: Located?
        /// Which layer gave it: a base spec reached through n `extends` is −n, the spec 0, the
        /// i-th override i + 1.
        let layer: Int
        var value: SpecTree
    }

    /// A node with the file and lines it came from, so later errors can point at it.
    struct Located {
        let node: Node
        let file: String
        let lines: [String]
        let layer: Int
        /// Text given on the command line: errors name the override, not a line of it.
        var isOverride: Bool { file.hasPrefix("--set") }

        func error(_ message: String) -> Diagnostic {
            guard !isOverride, let mark = node.mark else { return Diagnostic(file: file, message: message) }
            return Diagnostic(file: file, line: mark.line, column: mark.column, message: message,
                              sourceLine: mark.line >= 1 && mark.line <= lines.count ? lines[mark.line - 1] : nil)
        }
    }

    subscript(key: String) -> SpecTree? {
        guard case let .mapping(entries) = self else { return nil }
        return entries.first { $0.key == key }?.value
    }

    /// Whether the value is YAML null (`key: null`, `key: ~`, `key:`): "remove what the base gave".
    var isNull: Bool {
        if case let .leaf(located) = self { return located.node.null != nil }
        return false
    }

    /// The tree of a YAML node.
    static func from(_ node: Node, file: String, lines: [String], layer: Int) -> SpecTree {
        if let mapping = node.mapping {
            return .mapping(mapping.map { pair in
                Entry(key: pair.key.string ?? "", keyNode: Located(node: pair.key, file: file, lines: lines, layer: layer), layer: layer,
                      value: from(pair.value, file: file, lines: lines, layer: layer))
            })
        }
        return .leaf(Located(node: node, file: file, lines: lines, layer: layer))
    }

    /// A child spec over its base: the child's keys win; mappings merge; a child key set to null
    /// removes the inherited key or section (`pretrain: null`, `~`).
    static func merge(_ base: SpecTree, _ child: SpecTree) -> SpecTree {
        guard case let .mapping(baseEntries) = base, case let .mapping(childEntries) = child else { return child }
        var result = baseEntries
        for entry in childEntries {
            if entry.value.isNull {
                result.removeAll { $0.key == entry.key }
            } else if let index = result.firstIndex(where: { $0.key == entry.key }) {
                result[index] = Entry(key: entry.key, keyNode: entry.keyNode, layer: entry.layer, value: merge(result[index].value, entry.value))
            } else {
                result.append(entry)
            }
        }
        return .mapping(result)
    }

    /// Reads a spec file and the chain of files it `extends`, merged.
    static func load(path: String, seen: [String] = []) throws -> SpecTree {
        let resolved = URL(fileURLWithPath: path).standardizedFileURL.path
        guard !seen.contains(resolved) else {
            throw Diagnostic(file: path, message: "extends forms a cycle: \((seen + [resolved]).joined(separator: " → ")); remove one of the extends lines")
        }
        let document = try YAMLDocument.read(path: path, what: "spec", fix: "check the path (specs live in Experiments/)")
        let lines = document.lines
        let root = try document.compose()
        let layer = -seen.count
        guard root.mapping != nil else {
            throw Located(node: root, file: path, lines: lines, layer: layer).error("a spec is a mapping of sections (name, dataset, model, …)")
        }
        var tree = from(root, file: path, lines: lines, layer: layer)
        if let parent = root.mapping?["extends"] {
            let place = Located(node: parent, file: path, lines: lines, layer: layer)
            guard let relative = parent.string, parent.scalar != nil, !relative.isEmpty else { throw place.error("extends takes a file name, e.g. extends: _corpus.yaml") }
            let base = relative.hasPrefix("/") ? relative : URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(relative).path
            guard FileManager.default.fileExists(atPath: base) else {
                throw place.error("extends names '\(relative)', which does not exist next to this spec")
            }
            guard seen.count < 32 else { throw place.error("extends is nested more than 32 deep") }
            tree = merge(try load(path: base, seen: seen + [resolved]), tree)
        }
        if case let .mapping(entries) = tree { tree = .mapping(entries.filter { $0.key != "extends" }) }
        return tree
    }
}
