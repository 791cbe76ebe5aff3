import Pipeline

/// The shape a spec value must have: objects with known keys (each with a default, a range and a
/// one-line description), tagged unions, lists, and typed scalars. Validation fills in defaults and
/// turns the YAML into a `CanonicalValue`, so equal experiments give equal cache keys whatever
/// their key order or comments. The same declaration prints the README's spec reference.
public indirect enum SpecSchema: Sendable {
    /// A mapping with exactly these keys (all optional: each has a default or may be absent).
    case object([String: Field])
    /// A tagged union: the `tag` key (e.g. `kind`) names one of `choices`, and the mapping may hold
    /// only that choice's keys. A key inherited from a spec that chose another kind is dropped
    /// when a child spec or an override changes the kind.
    case tagged(tag: String, choices: [String: [String: Field]], defaultChoice: String)
    /// A list of values of one schema.
    case list(SpecSchema)
    /// A string; `allowed` restricts it to named choices.
    case string(allowed: [String]?)
    /// An integer.
    case integer
    /// A finite number (integers accepted).
    case number
    /// true or false.
    case boolean

    /// One key of an object.
    public struct Field: Sendable {
        /// The value's schema.
        public let schema: SpecSchema
        /// The value used when the key is absent (nil: absent means "not in this experiment").
        public let defaultValue: CanonicalValue?
        /// What values are allowed beyond the type (a numeric range, a safe name), or nil.
        public let constraint: Constraint?
        /// One line for the documentation and error messages.
        public let summary: String

        /// Creates a field whose values need no rule beyond their type.
        public init(_ schema: SpecSchema, default defaultValue: CanonicalValue? = nil, _ summary: String) {
            self.init(schema, default: defaultValue, nil, summary)
        }

        /// Creates a field.
        public init(_ schema: SpecSchema, default defaultValue: CanonicalValue? = nil, _ constraint: Constraint?, _ summary: String) {
            self.schema = schema
            self.defaultValue = defaultValue
            self.constraint = constraint
            self.summary = summary
        }
    }

    /// A rule a value must follow beyond its type: a range written for people (`≥ 1`,
    /// `0 < x < 1`) and the check, which returns why a value breaks it (nil: it holds).
    public struct Constraint: Sendable {
        /// The rule as the reference and the error messages print it.
        public let summary: String
        /// Why `value` breaks the rule, or nil.
        public let problem: @Sendable (CanonicalValue) -> String?

        /// Creates a constraint.
        public init(_ summary: String, problem: @escaping @Sendable (CanonicalValue) -> String?) {
            self.summary = summary
            self.problem = problem
        }

        /// A number in a range; each bound inclusive or not. Lists are checked element by element.
        public static func range(_ lower: Double?, _ upper: Double?, lowerInclusive: Bool = true, upperInclusive: Bool = true) -> Constraint {
            func format(_ value: Double) -> String {
                value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : "\(value)"
            }
            var text: String
            switch (lower, upper) {
            case let (lower?, upper?):
                text = "\(format(lower)) \(lowerInclusive ? "≤" : "<") x \(upperInclusive ? "≤" : "<") \(format(upper))"
            case let (lower?, nil): text = "\(lowerInclusive ? "≥" : ">") \(format(lower))"
            case let (nil, upper?): text = "\(upperInclusive ? "≤" : "<") \(format(upper))"
            case (nil, nil): text = "any"
            }
            let summary = text
            return Constraint(summary) { value in
                let numbers: [Double]
                switch value {
                case let .integer(number): numbers = [Double(number)]
                case let .number(number): numbers = [number]
                case let .list(items): numbers = items.compactMap { item in
                    if case let .integer(number) = item { return Double(number) }
                    if case let .number(number) = item { return number }
                    return nil
                }
                default: numbers = []
                }
                for number in numbers {
                    if let lower, lowerInclusive ? number < lower : number <= lower { return "it must be \(summary)" }
                    if let upper, upperInclusive ? number > upper : number >= upper { return "it must be \(summary)" }
                }
                return nil
            }
        }

        /// At least `lower` (counts: `atLeast(1)`).
        public static func atLeast(_ lower: Double) -> Constraint { range(lower, nil) }
        /// Greater than zero (rates, lengths, widths).
        public static let positive = range(0, nil, lowerInclusive: false)
        /// From 0 up to but not including 1 (dropout, a held-out fraction).
        public static let fractionBelowOne = range(0, 1, upperInclusive: false)
        /// Strictly between 0 and 1 (momenta, betas).
        public static let openUnit = range(0, 1, lowerInclusive: false, upperInclusive: false)
    }

    /// A short name of the expected kind, for messages.
    var expectation: String {
        switch self {
        case .object, .tagged: return "a mapping"
        case .list: return "a list"
        case let .string(allowed): return allowed.map { "one of " + $0.joined(separator: ", ") } ?? "a string"
        case .integer: return "an integer"
        case .number: return "a finite number"
        case .boolean: return "true or false"
        }
    }

    /// The keys a mapping may hold here (every choice's keys for a tagged union), for overrides.
    /// Whether the value at a dotted key is a list (false for a key the schema does not have).
    public func isList(at dotted: String) -> Bool {
        var cursor = self
        for part in dotted.split(separator: ".") {
            guard let field = cursor.field(String(part)) else { return false }
            cursor = field.schema
        }
        if case .list = cursor { return true }
        return false
    }

    func field(_ key: String) -> Field? {
        switch self {
        case let .object(fields): return fields[key]
        case let .tagged(tag, choices, defaultChoice):
            if key == tag { return Field(.string(allowed: choices.keys.sorted()), default: .string(defaultChoice), "the kind") }
            return choices.values.lazy.compactMap { $0[key] }.first
        default: return nil
        }
    }

    /// Every key a mapping may hold here, sorted.
    var keys: [String] {
        switch self {
        case let .object(fields): return fields.keys.sorted()
        case let .tagged(tag, choices, _): return Array(Set(choices.values.flatMap(\.keys)).union([tag])).sorted()
        default: return []
        }
    }
}
