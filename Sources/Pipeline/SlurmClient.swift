import Foundation

/// The Slurm commands SpeakerLab uses (`sbatch`, `squeue`, `scontrol`, `sacct`), run as processes.
public struct SlurmClient: Sendable {
    /// A job's state as Slurm reports it.
    public enum JobState: Equatable, Sendable {
        /// Queued, running or finishing: still Slurm's.
        case active(String)
        /// Finished; the state name (COMPLETED, FAILED, CANCELLED, TIMEOUT, …) and exit code.
        case finished(String, exitCode: Int?)
        /// Slurm no longer knows the job (purged, or the controller lost it).
        case unknown
    }

    /// Creates a client.
    public init() {}

    /// Runs a command; returns (status, stdout, stderr).
    func execute(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw PipelineError("cannot run \(arguments[0]): \(error); is Slurm installed and on PATH?")
        }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outputData, as: UTF8.self), String(decoding: errorData, as: UTF8.self))
    }

    /// `sbatch --parsable ARGUMENTS SCRIPT`; returns the job id.
    public func submit(script: String, arguments: [String]) throws -> String {
        let result = try execute(["sbatch", "--parsable"] + arguments + [script])
        guard result.status == 0, let id = result.output.split(separator: "\n").first?.split(separator: ";").first.map(String.init), !id.isEmpty else {
            throw PipelineError("sbatch failed (\(result.status)): \(result.error.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return id
    }

    /// States of the given jobs still in the queue (`squeue -r`, one line per array task).
    public func queued(_ ids: [String]) throws -> [String: String] {
        guard !ids.isEmpty else { return [:] }
        let result = try execute(["squeue", "-h", "-r", "-o", "%i|%T", "-j", ids.joined(separator: ",")])
        // squeue exits non-zero when every listed job has left the queue.
        guard result.status == 0 else { return [:] }
        return Self.parseQueue(result.output)
    }

    /// Parses `squeue -o "%i|%T"` lines.
    static func parseQueue(_ text: String) -> [String: String] {
        var states: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2 { states[parts[0]] = parts[1] }
        }
        return states
    }

    /// One job's state: `squeue`, then `scontrol show job`, then `sacct` over the last `days`
    /// (where the cluster keeps accounting).
    public func state(_ id: String, days: Int = 7) throws -> JobState {
        if let queued = try queued([id])[id] { return .active(queued) }
        let control = try execute(["scontrol", "show", "job", id])
        if control.status == 0, let parsed = Self.parseControl(control.output) { return parsed }
        let accounting = try? execute(["sacct", "-n", "-X", "-P", "-j", id, "-S", "now-\(days)days", "-o", "State,ExitCode"])
        if let accounting, accounting.status == 0, let line = accounting.output.split(separator: "\n").first {
            let parts = line.split(separator: "|").map(String.init)
            if parts.count == 2 {
                let state = parts[0].split(separator: " ").first.map(String.init) ?? parts[0]
                return Self.isActive(state) ? .active(state) : .finished(state, exitCode: Int(parts[1].split(separator: ":").first ?? ""))
            }
        }
        return .unknown
    }

    /// Parses `scontrol show job` text (`JobState=COMPLETED … ExitCode=0:0`).
    static func parseControl(_ text: String) -> JobState? {
        func field(_ name: String) -> String? {
            guard let range = text.range(of: name + "=") else { return nil }
            return String(text[range.upperBound...].prefix { !$0.isWhitespace })
        }
        guard let state = field("JobState") else { return nil }
        if isActive(state) { return .active(state) }
        return .finished(state, exitCode: field("ExitCode").flatMap { Int($0.split(separator: ":").first ?? "") })
    }

    static func isActive(_ state: String) -> Bool {
        ["PENDING", "RUNNING", "COMPLETING", "CONFIGURING", "REQUEUED", "RESIZING", "SUSPENDED"].contains(state)
    }

    /// Whether `sbatch` is on PATH.
    public var isAvailable: Bool {
        (try? execute(["sh", "-c", "command -v sbatch"]))?.status == 0
    }
}
