/// A Keras-style summary: each layer's output shape and parameter count, and the totals.
public struct ModelSummary: Sendable {
    /// One layer's line.
    public struct Row: Sendable, Equatable {
        public let name: String
        public let kind: String
        public let output: [Int]
        public let parameters: Int
        public let nonTrainable: Int

        /// Creates a row.
        public init(name: String, kind: String, output: [Int], parameters: Int, nonTrainable: Int) {
            self.name = name
            self.kind = kind
            self.output = output
            self.parameters = parameters
            self.nonTrainable = nonTrainable
        }
    }

    /// The model's name.
    public let name: String
    /// The input shape without the batch axis.
    public let input: [Int]
    /// Every layer in order.
    public let rows: [Row]

    /// Creates a summary.
    public init(name: String, input: [Int], rows: [Row]) {
        self.name = name
        self.input = input
        self.rows = rows
    }

    /// All parameters, trainable or not (batch-norm running statistics count, as in Keras).
    public var total: Int { rows.reduce(0) { $0 + $1.parameters } }
    /// Batch-norm running statistics.
    public var nonTrainable: Int { rows.reduce(0) { $0 + $1.nonTrainable } }
    /// Parameters updated by training.
    public var trainable: Int { total - nonTrainable }

    /// `(None, 150, 20, 64)`, as Keras prints shapes.
    public static func describe(_ shape: [Int]) -> String {
        "(None, " + shape.map(String.init).joined(separator: ", ") + ")"
    }

    /// 23,401,344.
    public static func grouped(_ value: Int) -> String {
        let digits = String(value)
        var result = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result += "," }
            result.append(character)
        }
        return result
    }

    /// The summary as Keras's `model.summary()` prints it.
    public var text: String {
        let rule = String(repeating: "=", count: 84)
        var lines = ["Model: \"\(name)\"", String(repeating: "_", count: 84),
                     "Layer (type)".padding(toLength: 48, withPad: " ", startingAt: 0) + "Output Shape".padding(toLength: 26, withPad: " ", startingAt: 0) + "Param #",
                     rule,
                     "input (InputLayer)".padding(toLength: 48, withPad: " ", startingAt: 0) + Self.describe(input).padding(toLength: 26, withPad: " ", startingAt: 0) + "0"]
        for row in rows {
            lines.append("\(row.name) (\(row.kind))".padding(toLength: 48, withPad: " ", startingAt: 0)
                         + Self.describe(row.output).padding(toLength: 26, withPad: " ", startingAt: 0) + Self.grouped(row.parameters))
        }
        lines += [rule, "Total params: \(Self.grouped(total))", "Trainable params: \(Self.grouped(trainable))",
                  "Non-trainable params: \(Self.grouped(nonTrainable))", String(repeating: "_", count: 84)]
        return lines.joined(separator: "\n") + "\n"
    }
}
