import Foundation

/// Extracts features for many files on several threads: a shared work queue, one
/// `FeatureExtractor` (with its own FFT plans) per thread. Results keep the input order.
public enum ParallelFeatureExtraction {
    /// Runs the front end on every file; each result is the features or the file's error.
    public static func run(paths: [String], settings: FeatureSettings, threads: Int) -> [Result<FeatureMatrix, AudioError>] {
        precondition(threads >= 1, "thread count must be at least 1")
        if case .randomCrop = settings.cutPad { preconditionFailure("parallel extraction is deterministic; use the seed or none cut policy") }
        let results = ResultSlots(count: paths.count)
        let next = WorkCounter()
        DispatchQueue.concurrentPerform(iterations: min(threads, max(paths.count, 1))) { _ in
            let extractor = FeatureExtractor(settings: settings)
            while let index = next.take(below: paths.count) {
                do {
                    results.store(.success(try extractor.prepare(path: paths[index]).features), at: index)
                } catch let error as AudioError {
                    results.store(.failure(error), at: index)
                } catch {
                    results.store(.failure(AudioError(path: paths[index], reason: "\(error)")), at: index)
                }
            }
        }
        return results.values
    }
}

/// Hands out indices 0, 1, 2, … to whichever thread asks next.
final class WorkCounter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()

    func take(below limit: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}

/// One result slot per input, written once each from any thread.
final class ResultSlots: @unchecked Sendable {
    private var slots: [Result<FeatureMatrix, AudioError>?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func store(_ result: Result<FeatureMatrix, AudioError>, at index: Int) {
        lock.lock()
        slots[index] = result
        lock.unlock()
    }

    var values: [Result<FeatureMatrix, AudioError>] { slots.map { $0! } }
}
