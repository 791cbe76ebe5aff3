import Foundation

extension CanonicalValue {
    /// The canonical value of a `Codable` value, keys in snake_case (`weightDecay` → `weight_decay`),
    /// as specs and stage parameters are written. Encoding a value of a `Codable` type cannot fail
    /// unless the type's own `encode(to:)` throws, which is a programmer error.
    public init<Value: Encodable>(encoding value: Value) {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            self = try JSONDecoder().decode(CanonicalValue.self, from: try encoder.encode(value))
        } catch {
            preconditionFailure("\(Value.self) does not encode to JSON: \(error)")
        }
    }

    /// Decodes a `Codable` value from this canonical value (snake_case keys).
    public func decoded<Value: Decodable>(as type: Value.Type) throws -> Value {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Value.self, from: Data(canonicalText.utf8))
    }
}
