import Foundation
import Testing
@testable import Audio

@Suite struct VectorLogarithmTests {
    @Test func matchesLibmAcrossTheFloatRange() {
        // Powers of two, their neighbours, the √½ split point, denormal-free extremes and a sweep.
        var inputs: [Float] = [1, 2, 0.5, 0.707_106_77, 0.707_106_8, 1.414_213_5, 2.220_446e-16, 1e-30, 1e30, 3.4e38, 1.1754944e-38]
        inputs += (1...3000).map { Float($0) * 0.37 } + (1...200).map { powf(10, Float($0) / 10 - 10) }
        var outputs = inputs
        outputs.withUnsafeMutableBufferPointer { VectorLogarithm.apply($0.baseAddress!, count: $0.count) }
        for (input, output) in zip(inputs, outputs) {
            let expected = Foundation.log(Double(input))
            #expect(abs(Double(output) - expected) <= 2e-7 * max(1, abs(expected)), "log(\(input)) = \(output), libm \(expected)")
        }
    }
}
