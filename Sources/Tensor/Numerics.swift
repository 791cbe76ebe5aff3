internal import COpenBLAS
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How the engine's floating-point results are made.
public enum NumericsMode: String, Sendable, Codable, CaseIterable {
    /// The same bytes on any x86-64 machine with AVX2 and FMA and at any thread count: OpenBLAS
    /// runs its Haswell kernels whatever the CPU, and reductions use fixed chunks (the default).
    case reproducible
    /// OpenBLAS picks its kernels for this CPU (AVX-512 ones where there are): faster on some
    /// machines, and results that only a machine of the same kind reproduces.
    case fast
}

/// The engine's numerics: which OpenBLAS kernel family every GEMM runs, chosen by SpeakerLab
/// rather than by the CPU (DESIGN §3).
///
/// OpenBLAS (Debian builds it with DYNAMIC_ARCH) picks a kernel family for the CPU when it is
/// loaded, and each family rounds differently, so the same GEMM gives other bits on a Zen,
/// a Skylake-X or a Cooper Lake machine. In reproducible mode SpeakerLab selects the Haswell
/// family (AVX2 + FMA, which every machine SpeakerLab supports runs, and the one OpenBLAS itself
/// picks for AMD Zen) through OpenBLAS's own start-up path, `gotoblas_dynamic_init` with
/// `OPENBLAS_CORETYPE=Haswell`, before the first GEMM. `gemm` also calls OpenBLAS in
/// column-major form, which bypasses its AVX-512 "direct" small-matrix path (that path is chosen
/// by the CPU, not by the kernel family).
public enum Numerics {
    /// The engine's numerics version: bumped by hand when any kernel's rounding changes. It is the
    /// code version of every stage that runs a network, so their cache entries renew with it.
    /// 3: the Haswell kernel family whatever the CPU, work cut by problem size, not thread count.
    /// 4: Winograd and im2col kernel gradients summed over fixed sample groups, in order.
    /// 5: Winograd F(4×4, 3×3) on maps where it needs fewer multiplications than F(2×2, 3×3).
    public static let version = 5

    /// The OpenBLAS kernel family reproducible numerics use.
    public static let reproducibleKernel = "Haswell"

    /// The mode in force.
    public private(set) nonisolated(unsafe) static var mode: NumericsMode = .reproducible

    /// `OPENBLAS_CORETYPE` as this process found it (read before SpeakerLab sets it), restored for fast mode.
    nonisolated(unsafe) static var originalCoreType: String? = nil

    nonisolated(unsafe) static var configured = false
    static let lock = NSLock()

    /// The kernel family OpenBLAS picked when it was loaded (for this CPU, or as the environment
    /// forced it): what fast mode runs.
    nonisolated(unsafe) static var loadedKernel = ""

    /// Applies the default mode once, before the engine's first GEMM (called by `Parallel`).
    public static func configure() {
        lock.lock(); defer { lock.unlock() }
        guard !configured else { return }
        firstConfiguration()
        apply(mode)
    }

    /// Switches the mode. Call it while no GEMM runs (at start-up, or between benchmark phases).
    public static func select(_ newMode: NumericsMode) {
        lock.lock(); defer { lock.unlock() }
        if !configured { firstConfiguration() }
        guard newMode != mode || !applied else { return }
        mode = newMode
        apply(newMode)
    }

    /// The kernel family a mode runs on this machine.
    public static func kernelName(for mode: NumericsMode) -> String {
        if !configured { configure() }
        return mode == .reproducible ? reproducibleKernel : loadedKernel
    }

    nonisolated(unsafe) static var applied = false

    static func firstConfiguration() {
        configured = true
        originalCoreType = getenv("OPENBLAS_CORETYPE").map { String(cString: $0) }
        loadedKernel = String(cString: openblas_get_corename())
        BLASThreads.set(1)
    }

    /// Re-runs OpenBLAS's kernel selection with the core type this mode asks for.
    static func apply(_ mode: NumericsMode) {
        applied = true
        switch mode {
        case .reproducible: setenv("OPENBLAS_CORETYPE", reproducibleKernel, 1)
        case .fast:
            if let originalCoreType { setenv("OPENBLAS_CORETYPE", originalCoreType, 1) } else { unsetenv("OPENBLAS_CORETYPE") }
        }
        guard let quit = symbol("gotoblas_dynamic_quit"), let initialise = symbol("gotoblas_dynamic_init") else { return }
        typealias Function = @convention(c) () -> Void
        unsafeBitCast(quit, to: Function.self)()
        unsafeBitCast(initialise, to: Function.self)()
    }

    /// Whether this OpenBLAS lets SpeakerLab choose its kernels (a DYNAMIC_ARCH build).
    public static var kernelsSelectable: Bool { symbol("gotoblas_dynamic_init") != nil }

    /// The OpenBLAS kernel family in use ("Haswell", "SkylakeX", "Zen", …).
    public static var blasKernel: String {
        if !configured { configure() }
        return String(cString: openblas_get_corename())
    }

    /// The OpenBLAS build configuration (version, DYNAMIC_ARCH, threading model).
    public static var blasConfiguration: String {
        // OpenBLAS's configuration string names the kernel family, so the mode is applied first
        // (a process that has run no GEMM yet would otherwise report the CPU's own family).
        if !configured { configure() }
        return BLASThreads.configuration
    }

    /// The instruction set the engine's own kernels were compiled for.
    public static var instructionSet: String {
        #if arch(x86_64)
        return "x86-64 AVX2+FMA (-target-cpu haswell)"
        #elseif arch(arm64)
        return "arm64"
        #else
        return "generic"
        #endif
    }

    static func symbol(_ name: String) -> UnsafeMutableRawPointer? {
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), name)
    }
}
