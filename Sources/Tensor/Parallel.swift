import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The engine's thread count and its deterministic parallel loop.
///
/// Results never depend on the thread count (DESIGN §3, numerics). Work is split into a number
/// of contiguous chunks fixed by the problem size alone (at most `chunkLimit`), never by the
/// thread count, and threads only decide which chunk runs where. That matters for more than
/// sums: OpenBLAS rounds an element of C differently depending on where a product is cut into
/// row or column slices (`ThreadCountInvarianceTests`), so even per-sample work that calls GEMMs must be
/// cut the same way at 1, 2 or 64 threads. A reduction keeps one partial result per chunk and
/// combines them in chunk order. GEMMs inside a chunk run single-threaded (`BLASThreads` = 1).
public enum Parallel {
    /// The most chunks one operation is split into, whatever the thread count, so one operation
    /// runs on at most this many threads at once (more threads still serve concurrent stages).
    /// Eight keeps each chunk's GEMMs large (a batch of 32 gives 4 samples a chunk; a GEMM repacks
    /// its B operand every call) and the partial sums small (a 512×512 Winograd kernel gradient
    /// keeps 8 × 16 partial kernels), while filling the 2- to 8-core machines SpeakerLab runs on.
    public static let chunkLimit = 8

    /// Threads the engine uses: `--threads` or `execution.threads`, by default the CPUs this
    /// process may run on (`ProcessorBudget.available`: its affinity mask and cgroup CPU quota).
    /// The engine parallelises across samples and channels itself, so OpenBLAS is pinned to one
    /// thread the first time the engine runs (two levels of threads would oversubscribe the cores).
    ///
    /// The first use also tells glibc to keep freed memory for reuse instead of returning it to the
    /// system: training allocates the same large activations every step, and fresh pages from the
    /// kernel cost a page fault and a clear each (5% of a DeepSpeaker step before this, measured).
    public nonisolated(unsafe) static var threads: Int = {
        Numerics.configure()
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
        return ProcessorBudget.available
    }() {
        didSet { threads = max(1, threads) }
    }

    /// The number of chunks `chunks(count, minimumPerChunk:)` splits 0..<count into: a function
    /// of `count` and `minimumPerChunk` only.
    public static func chunkCount(_ count: Int, minimumPerChunk: Int = 1) -> Int {
        max(1, min(chunkLimit, count / max(1, minimumPerChunk)))
    }

    /// Calls `body(chunk, range)` for each of the `chunkCount(count, minimumPerChunk:)` contiguous
    /// chunks of 0..<count, on at most `threads` threads at once.
    @inline(__always)
    public static func chunks(_ count: Int, minimumPerChunk: Int = 1, _ body: (_ chunk: Int, _ range: Range<Int>) -> Void) {
        let chunkCount = chunkCount(count, minimumPerChunk: minimumPerChunk)
        if chunkCount == 1 {
            if count > 0 { body(0, 0..<count) }
            return
        }
        let workers = min(threads, chunkCount)
        if workers == 1 {
            for chunk in 0..<chunkCount { run(chunk, of: chunkCount, count, body) }
            return
        }
        // Worker w takes chunks w, w + workers, …: which thread runs a chunk changes nothing.
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for chunk in stride(from: worker, to: chunkCount, by: workers) { run(chunk, of: chunkCount, count, body) }
        }
    }

    @inline(__always)
    static func run(_ chunk: Int, of chunkCount: Int, _ count: Int, _ body: (_ chunk: Int, _ range: Range<Int>) -> Void) {
        let lower = count * chunk / chunkCount, upper = count * (chunk + 1) / chunkCount
        if upper > lower { body(chunk, lower..<upper) }
    }
}
