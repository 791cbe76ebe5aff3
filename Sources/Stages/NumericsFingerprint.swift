import Audio
import Foundation
import Tensor

/// What a result's numbers depend on: recorded in every `environment.json` and `report.md`, and
/// compared by `table --check` when published digits differ.
public struct NumericsFingerprint: Codable, Sendable, Equatable {
    /// The CPU model (`/proc/cpuinfo`).
    public let cpu: String
    /// The instruction set SpeakerLab's own kernels were compiled for.
    public let instructionSet: String
    /// The OpenBLAS build (version, DYNAMIC_ARCH, threading) as it reports itself.
    public let blas: String
    /// The OpenBLAS kernel family in use.
    public let blasKernel: String
    /// FFTW's version and codelet set.
    public let fftw: String
    /// Threads the engine ran on (results do not depend on it).
    public let threads: Int
    /// The engine's numerics version.
    public let numericsVersion: Int
    /// `reproducible` or `fast`.
    public let numericsMode: String

    /// The fingerprint of this process now.
    public static var current: NumericsFingerprint {
        NumericsFingerprint(cpu: cpuModel, instructionSet: Numerics.instructionSet, blas: Numerics.blasConfiguration,
                            blasKernel: Numerics.blasKernel, fftw: FFTWBuild.version, threads: Parallel.threads,
                            numericsVersion: Numerics.version, numericsMode: Numerics.mode.rawValue)
    }

    /// Creates a fingerprint from its parts.
    public init(cpu: String, instructionSet: String, blas: String, blasKernel: String, fftw: String, threads: Int, numericsVersion: Int, numericsMode: String) {
        (self.cpu, self.instructionSet, self.blas, self.blasKernel, self.fftw) = (cpu, instructionSet, blas, blasKernel, fftw)
        (self.threads, self.numericsVersion, self.numericsMode) = (threads, numericsVersion, numericsMode)
    }

    /// The fields and values that differ from `other`, as "name: this vs other", those that can
    /// change a result first (the CPU model and the thread count cannot, in reproducible mode).
    public func differences(from other: NumericsFingerprint) -> [String] {
        let fields: [(String, String, String)] = [
            ("numerics mode", numericsMode, other.numericsMode), ("numerics version", "\(numericsVersion)", "\(other.numericsVersion)"),
            ("BLAS kernel", blasKernel, other.blasKernel), ("BLAS", blas, other.blas), ("FFTW", fftw, other.fftw),
            ("instruction set", instructionSet, other.instructionSet), ("CPU", cpu, other.cpu), ("threads", "\(threads)", "\(other.threads)"),
        ]
        return fields.filter { $0.1 != $0.2 }.map { "\($0.0): \($0.1) vs \($0.2)" }
    }

    /// The rows of the report's environment table.
    var rows: [[String]] {
        [["CPU", cpu], ["instruction set", instructionSet], ["BLAS", blas], ["BLAS kernel", blasKernel], ["FFTW", fftw],
         ["threads", String(threads)], ["numerics", "\(numericsMode), version \(numericsVersion)"]]
    }

    /// The CPU's model name, from `/proc/cpuinfo`.
    static var cpuModel: String {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown" }
        for line in text.split(separator: "\n") where line.hasPrefix("model name") {
            if let colon = line.firstIndex(of: ":") { return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces) }
        }
        return "unknown"
    }
}
