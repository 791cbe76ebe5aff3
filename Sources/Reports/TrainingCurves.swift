/// Loss, accuracy and EER curves from a `history.csv` table (columns `stage`, `epoch`, `step`,
/// `loss`, `accuracy`, `val_loss`, `val_accuracy`, `eer`): the seed's `dpk_acc_loss.png`, as SVG.
public enum TrainingCurves {
    /// One figure per training stage present: `pretrain-curves.svg` (loss and accuracy per
    /// epoch, training and validation) and `finetune-curves.svg` (triplet loss and EER per step).
    public static func figures(_ history: Table) -> [(file: String, svg: String)] {
        var figures: [(String, String)] = []
        let pretrain = rows(history, stage: "pretrain")
        if !pretrain.isEmpty {
            let x = "epoch"
            let loss = plot("Pretraining loss", x: x, y: "loss", lowerBound: 0,
                            series: [("training", points(history, pretrain, x: x, y: "loss")), ("validation", points(history, pretrain, x: x, y: "val_loss"))])
            let accuracy = plot("Pretraining accuracy", x: x, y: "accuracy", lowerBound: 0, upperBound: 1,
                                series: [("training", points(history, pretrain, x: x, y: "accuracy")), ("validation", points(history, pretrain, x: x, y: "val_accuracy"))])
            figures.append(("pretrain-curves.svg", FigurePanels.row([loss, accuracy])))
        }
        let finetune = rows(history, stage: "finetune")
        if !finetune.isEmpty {
            let loss = plot("Triplet fine-tuning loss", x: "step", y: "loss", lowerBound: 0,
                            series: [("training", points(history, finetune, x: "step", y: "loss"))])
            let eer = plot("Fine-tuning EER (evaluation trials)", x: "step", y: "EER", lowerBound: 0,
                           series: [("evaluation", points(history, finetune, x: "step", y: "eer"))])
            figures.append(("finetune-curves.svg", FigurePanels.row([loss, eer])))
        }
        return figures
    }

    /// Several runs' curves overlaid: pretraining loss per epoch and fine-tuning loss per step,
    /// one line per run (what `speakerlab compare` draws).
    public static func overlay(_ runs: [(name: String, history: Table)]) -> String {
        var panels: [LinePlot] = []
        for (stage, x, title) in [("pretrain", "epoch", "Pretraining loss"), ("finetune", "step", "Triplet fine-tuning loss")] {
            let series = runs.map { run in (run.name, points(run.history, rows(run.history, stage: stage), x: x, y: "loss")) }
            if series.contains(where: { !$0.1.isEmpty }) { panels.append(plot(title, x: x, y: "loss", lowerBound: 0, series: series)) }
        }
        return FigurePanels.row(panels)
    }

    static func rows(_ table: Table, stage: String) -> [[String]] {
        guard let column = table.header.firstIndex(of: "stage") else { return [] }
        return table.rows.filter { $0[column] == stage }
    }

    static func points(_ table: Table, _ rows: [[String]], x: String, y: String) -> [(x: Double, y: Double)] {
        guard let xColumn = table.header.firstIndex(of: x), let yColumn = table.header.firstIndex(of: y) else { return [] }
        return rows.compactMap { row in
            guard let a = Double(row[xColumn]), let b = Double(row[yColumn]), b.isFinite else { return nil }
            return (a, b)
        }
    }

    static func plot(_ title: String, x: String, y: String, lowerBound: Double, upperBound: Double? = nil,
                     series: [(String, [(x: Double, y: Double)])]) -> LinePlot {
        let all = series.flatMap(\.1)
        let xs = all.map(\.x), ys = all.map(\.y)
        let xLower = xs.min() ?? 0, xUpper = max(xs.max() ?? 1, xLower + 1)
        let yUpper = upperBound ?? max((ys.max() ?? 1) * 1.05, lowerBound + 1e-3)
        return LinePlot(title: title, xAxis: Axis(title: x, lower: xLower, upper: xUpper),
                        yAxis: Axis(title: y, lower: min(lowerBound, ys.min() ?? lowerBound), upper: yUpper),
                        series: series.filter { !$0.1.isEmpty }.map { LinePlot.Series(name: $0.0, points: $0.1) })
    }
}
