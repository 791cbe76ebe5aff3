import Foundation

/// The project revision a binary was built from: the git commit of the checkout that holds the
/// running executable (`.build/release/speakerlab` lives inside it), and whether its sources
/// differed from that commit (files under `Results/` do not count: they are what runs write).
public struct SourceRevision: Codable, Sendable, Equatable {
    /// The commit, or nil when the binary is not inside a git checkout (or git is missing).
    public let commit: String?
    /// Whether tracked or new source files differed from the commit (nil when unknown).
    public let dirty: Bool?

    /// The revision of the running binary's checkout.
    public static let current: SourceRevision = {
        let executable = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
        var folder = executable.deletingLastPathComponent()
        while folder.path != "/" && !FileManager.default.fileExists(atPath: folder.appendingPathComponent(".git").path) {
            folder = folder.deletingLastPathComponent()
        }
        guard folder.path != "/", let commit = git(["rev-parse", "HEAD"], in: folder) else { return SourceRevision(commit: nil, dirty: nil) }
        let status = git(["status", "--porcelain", "--", ".", ":(exclude)Results"], in: folder)
        return SourceRevision(commit: commit, dirty: status.map { !$0.isEmpty })
    }()

    /// A git command's trimmed output, or nil when it fails.
    static func git(_ arguments: [String], in folder: URL) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", folder.path] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The command line that made a run, quoted so that a shell reads it back the same.
    public static var commandLine: String {
        CommandLine.arguments.map { argument in
            argument.allSatisfy({ $0.isLetter || $0.isNumber || "-_./=,:@+".contains($0) }) && !argument.isEmpty
                ? argument : "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }.joined(separator: " ")
    }

    /// As a report shows it: the commit, marked when the sources differed from it.
    public var text: String {
        guard let commit else { return "unknown (not built from a git checkout)" }
        return commit + (dirty == true ? " (with uncommitted changes)" : "")
    }
}
