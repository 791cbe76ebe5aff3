import Foundation

/// One row of `history.csv`: an epoch's end, or every N steps within it.
public struct HistoryRow: Codable, Equatable, Sendable {
    public var stage: String
    public var epoch: Int
    public var step: Int
    public var loss: Double
    public var accuracy: Double?
    public var validationLoss: Double?
    public var validationAccuracy: Double?
    public var equalErrorRate: Double?
    public var learningRate: Double
    public var seconds: Double
    public var samplesPerSecond: Double

    /// The CSV header.
    public static let header = "stage,epoch,step,loss,accuracy,val_loss,val_accuracy,eer,lr,seconds,samples_per_second"

    /// A whole `history.csv`: the header and one line per row.
    public static func file(_ rows: [HistoryRow]) -> String {
        ([header] + rows.map(\.csv)).joined(separator: "\n") + "\n"
    }

    /// The CSV line (empty cells where a value was not measured).
    public var csv: String {
        func cell(_ value: Double?) -> String { value.map { String(format: "%.6g", $0) } ?? "" }
        return [stage, String(epoch), String(step), cell(loss), cell(accuracy), cell(validationLoss), cell(validationAccuracy),
                cell(equalErrorRate), cell(learningRate), String(format: "%.3f", seconds), String(format: "%.2f", samplesPerSecond)].joined(separator: ",")
    }
}

/// Progress reporting: a rewritten line on a terminal, plain lines otherwise.
public struct ProgressReporter: Sendable {
    /// Whether standard error is a terminal.
    public let isTerminal: Bool
    /// Whether to print at all.
    public let enabled: Bool

    /// Detects the terminal; `enabled: false` silences it (tests).
    public init(enabled: Bool = true) {
        self.enabled = enabled
        isTerminal = isatty(STDERR_FILENO) != 0
    }

    /// Reports a step: epoch, step of steps, loss, rate and the time left.
    public func step(stage: String, epoch: Int, step: Int, of total: Int, loss: Double, learningRate: Double, secondsLeft: Double) {
        guard enabled else { return }
        let line = String(format: "%@ epoch %d step %d/%d loss %.4f lr %.2g ETA %.0fs", stage, epoch + 1, step, total, loss, learningRate, secondsLeft)
        if isTerminal {
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
        } else if step == total || step % max(1, total / 4) == 0 {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }

    /// Ends an epoch's line.
    public func endEpoch(_ summary: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data(((isTerminal ? "\r\u{1B}[K" : "") + summary + "\n").utf8))
    }
}
