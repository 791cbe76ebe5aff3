import Foundation

/// Extracts features for many files on several threads: a shared work queue, one
/// `FeatureExtractor` (with its own FFT plans) per thread. Results keep the input order.
public enum ParallelFeatureExtraction {
    /// Runs the front end on every file; each result is the features or the file's error.
    public static func run(paths: [String], settings: FeatureSettings, threads: Int) -> [Result<FeatureMatrix, AudioError>] {
        if case .randomCrop = settings.cutPad { preconditionFailure("parallel extraction is deterministic; use the seed or none cut policy") }
        return map(paths: paths, settings: settings, threads: threads) { try $0.prepare(path: $1).features }
    }

    /// Runs the front end up to VAD on every file (`FeatureExtractor.voiced`): nil for a usable
    /// file, else why it is not. What a corpus is screened with before its features are made.
    public static func screen(paths: [String], settings: FeatureSettings, threads: Int) -> [AudioError?] {
        map(paths: paths, settings: settings, threads: threads) { _ = try $0.voiced(path: $1) }.map {
            if case let .failure(error) = $0 { return error } else { return nil }
        }
    }

    /// The voiced samples of every file (`FeatureExtractor.voiced`), on the ±1 scale at the
    /// settings' rate: what on-the-fly augmentation crops from.
    public static func voicedSamples(paths: [String], settings: FeatureSettings, threads: Int) -> [Result<[Float], AudioError>] {
        map(paths: paths, settings: settings, threads: threads) { try $0.voiced(path: $1).kept }
    }

    /// `body` on every file, on up to `threads` threads with one extractor each, in input order.
    public static func map<Value>(paths: [String], settings: FeatureSettings, threads: Int,
                           _ body: @escaping (FeatureExtractor, String) throws -> Value) -> [Result<Value, AudioError>] {
        precondition(threads >= 1, "thread count must be at least 1")
        let results = ResultSlots<Value>(count: paths.count)
        let next = WorkCounter()
        DispatchQueue.concurrentPerform(iterations: min(threads, max(paths.count, 1))) { _ in
            let extractor = FeatureExtractor(settings: settings)
            while let index = next.take(below: paths.count) {
                do {
                    results.store(.success(try body(extractor, paths[index])), at: index)
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
final class ResultSlots<Value>: @unchecked Sendable {
    private var slots: [Result<Value, AudioError>?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func store(_ result: Result<Value, AudioError>, at index: Int) {
        lock.lock()
        slots[index] = result
        lock.unlock()
    }

    var values: [Result<Value, AudioError>] { slots.map { $0! } }
}
