import Foundation
import Reports
import Spec

/// Which checkpoint a training stage kept, judged on what data, and by how much it beat the
/// stage's starting point: read back from the stage's `history.csv` with the rule the training
/// loops apply (the first strictly lowest monitored value), for the terminal and `report.md`.
struct CheckpointSelection: Equatable, Sendable {
    /// `pretrain` or `finetune`.
    let stage: String
    /// The sentence people read.
    let sentence: String
    /// Whether the choice was made on the test speakers (the seed's practice).
    let onTestSpeakers: Bool

    /// One monitored value of the history.
    struct Point: Equatable {
        let epoch: Int
        let step: Int
        let value: Double
    }

    /// Fine-tuning's choice. `select: eer` and `test-speakers` keep the lowest EER from step 0 (the
    /// starting weights) on; `last` keeps the last step.
    static func finetuning(select: FinetuneSpec.Selection, validation: ValidationSpeakers?, history: Table) -> CheckpointSelection? {
        let steps = rows(history, stage: "finetune")
        guard let lastStep = steps.map(\.step).max() else { return nil }
        if select == .last {
            return CheckpointSelection(stage: "finetune", sentence: "finetune kept the last step (\(lastStep)); nothing was selected (select: last)", onTestSpeakers: false)
        }
        let points = steps.compactMap { row in row.eer.map { Point(epoch: row.epoch, step: row.step, value: $0) } }
        guard let start = points.first, let kept = firstLowest(points) else { return nil }
        let data = select == .testSpeakers
            ? "the test speakers (select: test-speakers, the seed's practice: this run's test metrics are optimistic)"
            : "\(validation?.count ?? ValidationSpeakers.defaultCount) validation speakers held out of fine-tuning"
        let sentence: String
        if kept.step == start.step {
            let best = points.dropFirst().map(\.value).min()
            sentence = "finetune: no improvement on \(data) (EER \(format(start.value)) at step 0\(best.map { ", at best \(format($0)) later" } ?? "")): the starting weights were kept"
        } else {
            sentence = "finetune kept step \(kept.step) of \(lastStep): EER \(format(kept.value)) on \(data), \(signed(kept.value - start.value)) from \(format(start.value)) at step 0"
        }
        return CheckpointSelection(stage: "finetune", sentence: sentence, onTestSpeakers: select == .testSpeakers)
    }

    /// Pretraining's choice: the lowest validation EER (`select: eer`), else the lowest validation
    /// loss, else the lowest training loss; its starting point is the first epoch's value.
    static func pretraining(select: PretrainSpec.Selection?, validationSpeakers: Int?, validationFraction: Double, history: Table) -> CheckpointSelection? {
        let epochs = rows(history, stage: "pretrain")
        let (criterion, data): (String, String)
        let values: [Double?]
        if select == .eer {
            (criterion, data) = ("EER", "\(validationSpeakers ?? ValidationSpeakers.defaultCount) validation speakers held out of pretraining")
            values = epochs.map(\.eer)
        } else if epochs.contains(where: { $0.validationLoss != nil }) {
            (criterion, data) = ("validation loss", "\(format(validationFraction * 100, digits: 3)) % of each training speaker's utterances")
            values = epochs.map(\.validationLoss)
        } else {
            (criterion, data) = ("training loss", "the training utterances (no validation split)")
            values = epochs.map(\.loss)
        }
        let points = zip(epochs, values).compactMap { row, value in value.map { Point(epoch: row.epoch, step: row.step, value: $0) } }
        guard let start = points.first, let kept = firstLowest(points), let last = points.last else { return nil }
        let sentence = kept.epoch == start.epoch
            ? "pretrain kept epoch \(kept.epoch) of \(last.epoch): \(criterion) \(format(kept.value)) on \(data); no later epoch improved on it"
            : "pretrain kept epoch \(kept.epoch) of \(last.epoch): \(criterion) \(format(kept.value)) on \(data), \(signed(kept.value - start.value)) from \(format(start.value)) after epoch \(start.epoch)"
        return CheckpointSelection(stage: "pretrain", sentence: sentence, onTestSpeakers: false)
    }

    /// The first point of strictly lowest value (the loops replace the kept checkpoint only on a strict improvement).
    static func firstLowest(_ points: [Point]) -> Point? {
        points.reduce(nil) { best, point in best.map { point.value < $0.value ? point : $0 } ?? point }
    }

    /// One history row's monitored values.
    struct Row {
        let epoch: Int
        let step: Int
        let loss: Double?
        let validationLoss: Double?
        let eer: Double?
    }

    /// A stage's rows of a `history.csv` table.
    static func rows(_ history: Table, stage: String) -> [Row] {
        func column(_ name: String) -> Int? { history.header.firstIndex(of: name) }
        guard let stageColumn = column("stage"), let epoch = column("epoch"), let step = column("step") else { return [] }
        func number(_ row: [String], _ index: Int?) -> Double? { index.flatMap { row.count > $0 ? Double(row[$0]) : nil }.flatMap { $0.isFinite ? $0 : nil } }
        return history.rows.filter { $0.count > stageColumn && $0[stageColumn] == stage }.compactMap { row in
            guard let e = Int(row[epoch]), let s = Int(row[step]) else { return nil }
            return Row(epoch: e, step: s, loss: number(row, column("loss")), validationLoss: number(row, column("val_loss")), eer: number(row, column("eer")))
        }
    }

    static func format(_ value: Double, digits: Int = 4) -> String { String(format: "%.\(digits)g", value) }
    static func signed(_ value: Double) -> String { (value < 0 ? "−" : "+") + String(format: "%.4g", abs(value)) }
}
