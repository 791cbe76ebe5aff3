import Pipeline

/// The shape a spec value must have: objects with known keys (each with a default and a one-line
/// description), lists, and typed scalars. Validation fills in defaults and turns the YAML into a
/// `CanonicalValue`, so equal experiments give equal cache keys whatever their key order or comments.
public indirect enum SpecSchema: Sendable {
    /// A mapping with exactly these keys (all optional: each has a default or may be absent).
    case object([String: Field])
    /// A list of values of one schema.
    case list(SpecSchema)
    /// A string; `allowed` restricts it to named choices.
    case string(allowed: [String]?)
    /// An integer.
    case integer
    /// A number (integers accepted).
    case number
    /// true or false.
    case boolean
    /// A number, or a list of numbers of any length (for knobs such as `blocks`).
    case numbers

    /// One key of an object.
    public struct Field: Sendable {
        /// The value's schema.
        public let schema: SpecSchema
        /// The value used when the key is absent (nil: absent means "not in this experiment").
        public let defaultValue: CanonicalValue?
        /// One line for the documentation and error messages.
        public let summary: String

        /// Creates a field.
        public init(_ schema: SpecSchema, default defaultValue: CanonicalValue? = nil, _ summary: String) {
            self.schema = schema
            self.defaultValue = defaultValue
            self.summary = summary
        }
    }

    /// A short name of the expected kind, for messages.
    var expectation: String {
        switch self {
        case .object: return "a mapping"
        case .list: return "a list"
        case let .string(allowed): return allowed.map { "one of " + $0.joined(separator: ", ") } ?? "a string"
        case .integer: return "an integer"
        case .number: return "a number"
        case .boolean: return "true or false"
        case .numbers: return "a number or a list of numbers"
        }
    }
}
