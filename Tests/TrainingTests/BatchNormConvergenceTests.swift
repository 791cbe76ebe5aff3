import Testing
@testable import Training

@Suite struct BatchNormConvergenceTests {
    /// The seed's HEAD recipe: Keras momentum 0.99, 20 steps an epoch, validation at chance while
    /// training accuracy rose (seed reference; issue #18).
    @Test func theSeedsHeadRecipeIsWarnedAbout() throws {
        let warning = try #require(BatchNormConvergence.warning(epoch: 2, trainingAccuracy: 0.66, validationAccuracy: 0.05, stepsPerEpoch: 20, momentum: 0.99))
        #expect(warning.contains("model.batchnorm_momentum") && warning.contains("about 100 steps") && warning.contains("20 steps an epoch"))
        // The same gap after enough steps, a small gap, or no learning yet is not the running statistics' fault.
        #expect(BatchNormConvergence.warning(epoch: 20, trainingAccuracy: 0.66, validationAccuracy: 0.05, stepsPerEpoch: 20, momentum: 0.99) == nil)
        #expect(BatchNormConvergence.warning(epoch: 2, trainingAccuracy: 0.66, validationAccuracy: 0.5, stepsPerEpoch: 20, momentum: 0.99) == nil)
        #expect(BatchNormConvergence.warning(epoch: 2, trainingAccuracy: 0.1, validationAccuracy: 0.01, stepsPerEpoch: 20, momentum: 0.99) == nil)
        #expect(BatchNormConvergence.warning(epoch: 2, trainingAccuracy: 0.66, validationAccuracy: 0.05, stepsPerEpoch: 20, momentum: 0.9) == nil)
        // From a history: the first epoch that shows it.
        let history = [(epoch: 1, step: 20, accuracy: 0.15, validationAccuracy: 0.02), (epoch: 2, step: 40, accuracy: 0.4, validationAccuracy: 0.03)]
        #expect(BatchNormConvergence.firstWarning(epochs: history, momentum: 0.99)?.hasPrefix("pretrain epoch 2:") == true)
    }
}
