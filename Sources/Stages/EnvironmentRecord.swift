import Foundation
import Tensor

/// What a run was computed on: recorded next to every result, never part of a cache key.
public struct EnvironmentRecord: Codable, Sendable, Equatable {
    /// The SpeakerLab version.
    public let speakerlabVersion: String
    /// The Swift compiler the binary was built with.
    public let swift: String
    /// The operating system.
    public let operatingSystem: String
    /// The host name.
    public let host: String
    /// Cores the process may use.
    public let cores: Int
    /// Threads used for computation.
    public let threads: Int
    /// What the numbers depend on: CPU, kernels, libraries, numerics version.
    public let numerics: NumericsFingerprint?
    /// The project commit the binary was built from, and whether its sources differed from it.
    public let source: SourceRevision?
    /// The command line that made the run.
    public let command: String?

    /// Records the current process's environment.
    public init(threads: Int) {
        speakerlabVersion = SpeakerLabVersion.current
        swift = Self.swiftVersion
        operatingSystem = ProcessInfo.processInfo.operatingSystemVersionString
        host = ProcessInfo.processInfo.hostName
        cores = ProcessInfo.processInfo.activeProcessorCount
        self.threads = threads
        numerics = .current
        source = .current
        command = SourceRevision.commandLine
    }

    /// The compiler version this binary was built with.
    public static var swiftVersion: String {
        #if compiler(>=6.5)
        return "6.5 or later"
        #elseif compiler(>=6.4)
        return "6.4"
        #elseif compiler(>=6.3)
        return "6.3"
        #elseif compiler(>=6.2)
        return "6.2"
        #elseif compiler(>=6.1)
        return "6.1"
        #else
        return "6.0"
        #endif
    }
}

/// The version of SpeakerLab itself.
public enum SpeakerLabVersion {
    /// Semantic version of this build.
    public static let current = "0.1.0"
}
