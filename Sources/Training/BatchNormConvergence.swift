/// The sign that batch-norm running statistics lag the weights early in pretraining: validation
/// accuracy (inference mode, running statistics) far below training accuracy (batch statistics)
/// while the running averages have seen too few steps to follow the weights. The seed's HEAD
/// recipe showed it: Keras's momentum 0.99 averages over about 100 steps, its epochs had 20, and
/// validation stayed at chance for 8 of 20 epochs while training accuracy rose to 0.66.
public enum BatchNormConvergence {
    /// The warning for one epoch (1-based), or nil when nothing points at the running statistics.
    public static func warning(epoch: Int, trainingAccuracy: Double, validationAccuracy: Double, stepsPerEpoch: Int, momentum: Float) -> String? {
        guard momentum > 0, momentum < 1 else { return nil }
        let window = 1 / Double(1 - momentum)  // steps the running average spans
        // An epoch shorter than the average's span, and too few steps yet for it to have settled.
        guard trainingAccuracy >= 0.2, validationAccuracy < 0.5 * trainingAccuracy, Double(stepsPerEpoch) < window,
              Double(epoch * stepsPerEpoch) < 3 * window else { return nil }
        return String(format: "pretrain epoch %d: validation accuracy %.3f is far below training accuracy %.3f with %d steps an epoch; the batch-norm running statistics (momentum %g, an average over about %.0f steps) have not caught up with the weights, and the checkpoint is chosen by that validation loss. Lower model.batchnorm_momentum (0.9 averages over 10 steps) or train on more steps an epoch.",
                      epoch, validationAccuracy, trainingAccuracy, stepsPerEpoch, Double(momentum), window)
    }

    /// The first warning a pretraining history gives (rows of stage `pretrain`: epoch, global
    /// step, training and validation accuracy), or nil.
    public static func firstWarning(epochs: [(epoch: Int, step: Int, accuracy: Double, validationAccuracy: Double)], momentum: Float) -> String? {
        for row in epochs where row.epoch > 0 {
            if let warning = warning(epoch: row.epoch, trainingAccuracy: row.accuracy, validationAccuracy: row.validationAccuracy,
                                     stepsPerEpoch: row.step / row.epoch, momentum: momentum) { return warning }
        }
        return nil
    }
}
