#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Mean softmax cross-entropy of logits [N, K] against class indices, with label smoothing s:
/// targets (1 − s)·one-hot + s/K. Returns a [1] tensor.
public func softmaxCrossEntropy(_ logits: Variable, labels: [Int], labelSmoothing: Float = 0) -> Variable {
    let n = logits.shape[0], k = logits.shape[1]
    precondition(labels.count == n && labels.allSatisfy { $0 >= 0 && $0 < k }, "cross-entropy needs \(n) labels in 0..<\(k)")
    let probabilities = softmaxValues(logits.value)
    func target(_ row: Int, _ column: Int) -> Float { (column == labels[row] ? 1 - labelSmoothing : 0) + labelSmoothing / Float(k) }
    var loss: Double = 0
    for row in 0..<n {
        for column in 0..<k where target(row, column) > 0 {
            loss -= Double(target(row, column)) * log(max(Double(probabilities.scalars[row * k + column]), 1e-30))
        }
    }
    let y = Tensor(shape: [1], scalars: [Float(loss / Double(n))])
    return logits.record(y, [logits]) { dy in
        let scale = dy.scalars[0] / Float(n)
        var dx = probabilities
        for row in 0..<n { for column in 0..<k { dx.scalars[row * k + column] = (probabilities.scalars[row * k + column] - target(row, column)) * scale } }
        return [dx]
    }
}

/// How per-triplet losses are combined.
public enum Reduction: String, Sendable, Codable {
    /// Σ over triplets (the seed's HEAD).
    case sum
    /// Mean over triplets (the seed's era A).
    case mean
}

/// The seed's triplet loss on true cosine (reference §6): embeddings [3T, D] laid out `[A | P | N]`;
/// L = Σ max(cos(a, n) − cos(a, p) + α, 0), cos(a, b) = a·b / max(√((a·a)(b·b)), 1e-7).
public func tripletLoss(_ embeddings: Variable, margin: Float = 0.1, reduction: Reduction = .sum) -> Variable {
    precondition(embeddings.shape.count == 2 && embeddings.shape[0] % 3 == 0, "triplet loss needs [3T, D] embeddings, got \(embeddings.shape)")
    let t = embeddings.shape[0] / 3, d = embeddings.shape[1]
    let e = embeddings.value.scalars
    func dot(_ i: Int, _ j: Int) -> Float { var s: Float = 0; for c in 0..<d { s += e[i * d + c] * e[j * d + c] }; return s }
    struct Pair { let cosine: Float; let denominator: Float; let clamped: Bool }
    func pair(_ i: Int, _ j: Int) -> Pair {
        let raw = (dot(i, i) * dot(j, j)).squareRoot()
        let denominator = max(raw, 1e-7)
        return Pair(cosine: dot(i, j) / denominator, denominator: denominator, clamped: raw < 1e-7)
    }
    var total: Float = 0
    var active = [Bool](repeating: false, count: t)
    var positives: [Pair] = [], negatives: [Pair] = []
    for row in 0..<t {
        let p = pair(row, t + row), n = pair(row, 2 * t + row)
        positives.append(p)
        negatives.append(n)
        let value = n.cosine - p.cosine + margin
        if value > 0 { total += value; active[row] = true }
    }
    let scale: Float = reduction == .mean ? 1 / Float(t) : 1
    let y = Tensor(shape: [1], scalars: [total * scale])
    return embeddings.record(y, [embeddings]) { dy in
        var dx = Tensor(zeros: embeddings.shape)
        let g = dy.scalars[0] * scale
        // ∂cos(a, b)/∂a = b/D − cos·a/(a·a) when D = √((a·a)(b·b)) is not clamped.
        func accumulate(_ i: Int, _ j: Int, _ p: Pair, _ weight: Float) {
            let aa = dot(i, i), bb = dot(j, j)
            for c in 0..<d {
                let a = e[i * d + c], b = e[j * d + c]
                let da = p.clamped ? b / p.denominator : b / p.denominator - p.cosine * a / max(aa, 1e-30)
                let db = p.clamped ? a / p.denominator : a / p.denominator - p.cosine * b / max(bb, 1e-30)
                dx.scalars[i * d + c] += weight * da
                dx.scalars[j * d + c] += weight * db
            }
        }
        for row in 0..<t where active[row] {
            accumulate(row, 2 * t + row, negatives[row], g)
            accumulate(row, t + row, positives[row], -g)
        }
        return [dx]
    }
}

/// Additive angular margin softmax (ArcFace; Deng et al., CVPR 2019), as WeSpeaker trains with:
/// cos θ between L2-normalised embeddings [N, D] and class weights [D, K]; the target logit becomes
/// s·cos(θ + m), the others s·cos θ; then softmax cross-entropy.
public func additiveAngularMarginLoss(_ embeddings: Variable, weights: Variable, labels: [Int], margin: Float = 0.2, scale: Float = 32) -> Variable {
    let normalisedEmbeddings = l2Normalize(embeddings)
    let normalisedWeights = columnsNormalised(weights)
    let cosines = dense(normalisedEmbeddings, weight: normalisedWeights, bias: nil)
    let k = cosines.shape[1]
    let cosMargin = cos(margin), sinMargin = sin(margin)
    var logits = cosines.value
    for (row, label) in labels.enumerated() {
        let c = min(max(cosines.value.scalars[row * k + label], -1), 1)
        let s = (1 - c * c).squareRoot()
        logits.scalars[row * k + label] = c * cosMargin - s * sinMargin
    }
    for index in 0..<logits.count { logits.scalars[index] *= scale }
    let marginLogits = cosines.record(logits, [cosines]) { dy in
        var dx = dy
        for index in 0..<dx.count { dx.scalars[index] *= scale }
        for (row, label) in labels.enumerated() {
            let c = min(max(cosines.value.scalars[row * k + label], -1), 1)
            let s = max((1 - c * c).squareRoot(), 1e-6)
            dx.scalars[row * k + label] *= cosMargin + sinMargin * c / s
        }
        return [dx]
    }
    return softmaxCrossEntropy(marginLogits, labels: labels)
}

/// Each column of W [D, K] divided by its L2 norm.
func columnsNormalised(_ weights: Variable) -> Variable {
    let d = weights.shape[0], k = weights.shape[1]
    var transposed = Tensor(zeros: [k, d])
    for i in 0..<d { for j in 0..<k { transposed.scalars[j * d + i] = weights.value.scalars[i * k + j] } }
    let t = weights.record(transposed, [weights]) { dy in
        var dx = Tensor(zeros: [d, k])
        for i in 0..<d { for j in 0..<k { dx.scalars[i * k + j] = dy.scalars[j * d + i] } }
        return [dx]
    }
    let normalised = l2Normalize(t)
    var back = Tensor(zeros: [d, k])
    for i in 0..<d { for j in 0..<k { back.scalars[i * k + j] = normalised.value.scalars[j * d + i] } }
    return normalised.record(back, [normalised]) { dy in
        var dx = Tensor(zeros: [k, d])
        for i in 0..<d { for j in 0..<k { dx.scalars[j * d + i] = dy.scalars[i * k + j] } }
        return [dx]
    }
}
