import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// The engine's own thread pool size and a deterministic parallel loop.
///
/// Work is split into `threads` contiguous chunks, chunk t always covering the same range, so a
/// reduction done per chunk and summed in chunk order gives the same bits every run at a given
/// thread count. GEMMs called inside a chunk run single-threaded (`BLASThreads` is set to 1).
public enum Parallel {
    /// Threads the engine uses (default: all cores).
    /// The engine parallelises across samples and channels itself, so OpenBLAS is pinned to one
    /// thread the first time the engine runs (two levels of threads would oversubscribe the cores).
    ///
    /// The first use also tells glibc to keep freed memory for reuse instead of returning it to the
    /// system: training allocates the same large activations every step, and fresh pages from the
    /// kernel cost a page fault and a clear each (5% of a DeepSpeaker step before this, measured).
    public nonisolated(unsafe) static var threads: Int = {
        BLASThreads.set(1)
        #if canImport(Glibc)
        // mallopt is declared in <malloc.h>, which Glibc's module does not export; M_TRIM_THRESHOLD
        // is −1 and M_MMAP_THRESHOLD −3 in glibc.
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") {
            let mallopt = unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
            _ = mallopt(-3, 32 << 20)
            _ = mallopt(-1, Int32.max)
            // M_MMAP_MAX (−4) = 0: activations above the 32 MB mmap ceiling (SE-ResNet's first
            // layers) come from the heap too, so they reuse freed memory instead of faulting in
            // fresh zeroed pages every step (8% of an SE-ResNet step before, measured with perf).
            _ = mallopt(-4, 0)
        }
        #endif
        return max(1, ProcessInfo.activeCores)
    }() {
        didSet { threads = max(1, threads) }
    }

    /// Calls `body(chunk, range)` for `threads` contiguous chunks of 0..<count, in parallel.
    @inline(__always)
    public static func chunks(_ count: Int, minimumPerChunk: Int = 1, _ body: (_ chunk: Int, _ range: Range<Int>) -> Void) {
        let chunkCount = max(1, min(threads, count / max(1, minimumPerChunk)))
        if chunkCount == 1 {
            if count > 0 { body(0, 0..<count) }
            return
        }
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            let lower = count * chunk / chunkCount, upper = count * (chunk + 1) / chunkCount
            if upper > lower { body(chunk, lower..<upper) }
        }
    }

    /// The number of chunks `chunks(count, minimumPerChunk:)` will use.
    public static func chunkCount(_ count: Int, minimumPerChunk: Int = 1) -> Int {
        max(1, min(threads, count / max(1, minimumPerChunk)))
    }
}

import Foundation
extension ProcessInfo {
    static var activeCores: Int { ProcessInfo.processInfo.activeProcessorCount }
}
