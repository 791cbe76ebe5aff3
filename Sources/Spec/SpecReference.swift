import Diagnostics
import Pipeline

/// The spec reference as Markdown, printed from the schema: one row per key with its type, its
/// default, its allowed values and its one line. The README holds it between two markers and
/// `make test` checks that it is current.
public enum SpecReference {
    /// The README section it fills.
    public static let section = GeneratedSection(name: "spec-reference", command: "speakerlab spec reference")

    /// The reference of a schema.
    public static func markdown(_ schema: SpecSchema = ExperimentSchema.schema) -> String {
        var rows = ["| key | type | default | allowed | what it is |", "|---|---|---|---|---|"]
        func cell(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
        func walk(_ fields: [String: SpecSchema.Field], prefix: String, note: String = "") {
            for key in fields.keys.sorted() {
                let field = fields[key]!
                let dotted = prefix + key
                switch field.schema {
                case let .object(children):
                    rows.append("| **`\(dotted)`** | section | \(field.defaultValue == nil ? "absent" : "present") | | \(cell(field.summary)) |")
                    walk(children, prefix: dotted + ".")
                case let .tagged(tag, choices, defaultChoice):
                    rows.append("| **`\(dotted)`** | section | \(tag): \(defaultChoice) | | \(cell(field.summary)); its options depend on `\(tag)`, and changing `\(tag)` in a child spec or an override drops the options the earlier kind had |")
                    rows.append("| `\(dotted).\(tag)` | string | `\(defaultChoice)` | \(choices.keys.sorted().joined(separator: ", ")) | the kind |")
                    // Options shared by several kinds are listed once, with the kinds that take them.
                    var owners: [String: [String]] = [:]
                    for (choice, options) in choices { for option in options.keys { owners[option, default: []].append(choice) } }
                    var listed: Set<String> = []
                    for choice in choices.keys.sorted() {
                        for option in choices[choice]!.keys.sorted() where listed.insert(option).inserted {
                            let kinds = owners[option]!.sorted()
                            row(choices[choice]![option]!, dotted + "." + option, note: kinds.count == choices.count ? "" : kinds.joined(separator: ", ") + ": ")
                        }
                    }
                default:
                    row(field, dotted, note: note)
                }
            }
        }
        func row(_ field: SpecSchema.Field, _ dotted: String, note: String) {
            let defaultText = field.defaultValue.map { "`\(display($0))`" } ?? "absent"
            var allowed = field.constraint?.summary ?? ""
            if case let .string(choices?) = field.schema { allowed = choices.joined(separator: ", ") }
            if case let .list(.string(choices?)) = field.schema { allowed = (allowed.isEmpty ? "" : allowed + "; ") + "of " + choices.joined(separator: ", ") }
            rows.append("| `\(dotted)` | \(typeName(field.schema)) | \(cell(defaultText)) | \(cell(allowed)) | \(cell(note + field.summary)) |")
        }
        guard case let .object(fields) = schema else { return "" }
        walk(fields, prefix: "")
        return rows.joined(separator: "\n") + "\n"
    }

    /// The README text with its reference block replaced by `markdown` (nil when it has no markers).
    public static func updating(_ readme: String, with markdown: String = markdown()) -> String? {
        section.updating(readme, with: markdown)
    }

    static func typeName(_ schema: SpecSchema) -> String {
        switch schema {
        case .object, .tagged: return "section"
        case let .list(element): return "list of \(typeName(element))"
        case .string: return "string"
        case .integer: return "integer"
        case .number: return "number"
        case .boolean: return "boolean"
        }
    }

    static func display(_ value: CanonicalValue) -> String {
        switch value {
        case let .string(text): return text.isEmpty ? "\"\"" : text
        case let .list(items): return "[" + items.map(display).joined(separator: ", ") + "]"
        default: return value.canonicalText
        }
    }
}
