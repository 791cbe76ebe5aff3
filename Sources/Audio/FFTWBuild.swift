import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Which FFTW the front end runs on, for the numerics fingerprint.
///
/// FFTW's `FFTW_ESTIMATE` plans are chosen from operation counts, not timings, among the codelets
/// the library was built with and the CPU can run; Debian's single-precision FFTW carries SSE2
/// and AVX codelets (`fftw-3.3.10-sse2-avx`), both of which every AVX2 machine runs, so the same
/// plan, and the same bits, come out on any of them. The version string names the codelet set.
public enum FFTWBuild {
    /// FFTW's own version string, e.g. "fftw-3.3.10-sse2-avx".
    public static var version: String {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "fftwf_version") else { return "unknown" }
        return String(cString: symbol.assumingMemoryBound(to: CChar.self))
    }
}
