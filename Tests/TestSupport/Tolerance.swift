/// The largest relative difference between two sequences, |a − b| / max(|b|, floor), so that
/// values near zero are compared absolutely.
public func maximumRelativeError<A: Collection, B: Collection>(_ actual: A, _ expected: B, floor: Double = 1e-6) -> Double
where A.Element: BinaryFloatingPoint, B.Element: BinaryFloatingPoint {
    precondition(actual.count == expected.count, "compared sequences differ in length: \(actual.count) vs \(expected.count)")
    var worst = 0.0
    for (a, b) in zip(actual, expected) {
        let difference = abs(Double(a) - Double(b)) / max(abs(Double(b)), floor)
        worst = max(worst, difference)
    }
    return worst
}
