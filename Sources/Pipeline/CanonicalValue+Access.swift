extension CanonicalValue {
    /// The member at a key of an object, or nil.
    public subscript(key: String) -> CanonicalValue? {
        guard case let .object(members) = self else { return nil }
        return members[key]
    }

    /// The value as an integer (integral numbers included).
    public var int: Int? {
        switch self {
        case let .integer(value): return value
        case let .number(value) where value == value.rounded(): return Int(value)
        default: return nil
        }
    }

    /// The value as a number.
    public var double: Double? {
        switch self {
        case let .integer(value): return Double(value)
        case let .number(value): return value
        default: return nil
        }
    }

    /// The value as a string.
    public var string: String? { if case let .string(value) = self { return value } else { return nil } }

    /// The value as a boolean.
    public var bool: Bool? { if case let .bool(value) = self { return value } else { return nil } }

    /// The elements of a list.
    public var list: [CanonicalValue]? { if case let .list(values) = self { return values } else { return nil } }
}
