import Foundation
import Testing
import TestSupport

/// A project folder of its own for one hostile input: the quick-start spec and the model graphs
/// copied in, the real `speakerlab` binary run inside it, and every file of the folder compared
/// before and after, so a case can assert what changed (and that nothing else did).
final class Sandbox {
    /// The tool the suite runs (built by `make test` before the tests).
    static let binary = Fixtures.repositoryRoot.appendingPathComponent(".build/release/speakerlab").path
    /// The longest one command may take before the case fails as a hang.
    static let patience: TimeInterval = 120

    let folder = TemporaryDirectory("speakerlab-adversarial")
    var root: URL { folder.url }

    init() throws {
        let experiments = root.appendingPathComponent("Experiments/models")
        try FileManager.default.createDirectory(at: experiments, withIntermediateDirectories: true)
        let source = Fixtures.repositoryRoot.appendingPathComponent("Experiments")
        // The quick start without its calibrate section: the cases run corpora of a few speakers,
        // too few to hold 8 out for calibration (CalibrationCases covers calibrate's hostile input).
        let quickstart = try String(contentsOf: source.appendingPathComponent("quickstart.yaml"), encoding: .utf8)
        try Self.withoutSection("calibrate", quickstart).write(to: root.appendingPathComponent("Experiments/quickstart.yaml"), atomically: true, encoding: .utf8)
        for model in try FileManager.default.contentsOfDirectory(atPath: source.appendingPathComponent("models").path) where model.hasSuffix(".yaml") {
            try FileManager.default.copyItem(at: source.appendingPathComponent("models/\(model)"), to: experiments.appendingPathComponent(model))
        }
    }

    /// YAML text without one top-level section (its key line and the indented lines under it).
    static func withoutSection(_ key: String, _ text: String) -> String {
        var kept: [Substring] = [], skipping = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix(key + ":") { skipping = true; continue }
            if skipping, line.hasPrefix(" ") || line.isEmpty { continue }
            skipping = false
            kept.append(line)
        }
        return kept.joined(separator: "\n") + "\n"
    }

    /// A path inside the sandbox.
    func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// Writes a text file inside the sandbox (folders created as needed).
    func write(_ text: String, to relative: String) throws {
        let url = root.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    /// Every file under the sandbox: relative path → size and modification time.
    func snapshot() -> [String: String] {
        var files: [String: String] = [:]
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.fileSizeKey, .contentModificationDateKey, .isRegularFileKey]) else { return files }
        for case let url as URL in walker {
            let values = try? url.resourceValues(forKeys: [.fileSizeKey, .contentModificationDateKey, .isRegularFileKey])
            let relative = String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1))
            files[relative] = values?.isRegularFile == true ? "\(values?.fileSize ?? -1)@\(values?.contentModificationDate?.timeIntervalSince1970 ?? 0)" : "folder"
        }
        return files
    }

    /// What one command did: its exit status and its standard output and error together.
    struct Outcome {
        let status: Int32
        let output: String
        /// Paths added, removed or changed, relative to the sandbox.
        let changed: [String]
    }

    /// Runs `speakerlab ARGUMENTS` inside the sandbox.
    func run(_ arguments: [String]) throws -> Outcome {
        let before = snapshot()
        let log = TemporaryDirectory("speakerlab-adversarial-log")
        let outputPath = log.path("output.txt")
        try Data().write(to: URL(fileURLWithPath: outputPath))
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        process.currentDirectoryURL = root
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let deadline = Date().addingTimeInterval(Self.patience)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            Issue.record("speakerlab \(arguments.joined(separator: " ")) did not finish within \(Int(Self.patience)) s")
        }
        try output.close()
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        let after = snapshot()
        let changed = Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }.sorted()
        return Outcome(status: process.terminationStatus, output: text, changed: changed)
    }
}

/// The checks every case makes: the exit status, the message, and that nothing changed outside
/// the folders the command may write (none at all for an input refused before any stage runs).
func expect(_ outcome: Sandbox.Outcome, status: Int32, contains messages: [String], mayChange allowed: [String] = [],
            sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(outcome.status == status, "exit \(outcome.status), expected \(status): \(outcome.output)", sourceLocation: sourceLocation)
    for message in messages {
        #expect(outcome.output.contains(message), "expected '\(message)' in: \(outcome.output)", sourceLocation: sourceLocation)
    }
    #expect(!outcome.output.contains("NSCocoaErrorDomain") && !outcome.output.contains("Fatal error") && !outcome.output.contains("crashed"),
            "a raw error or crash: \(outcome.output)", sourceLocation: sourceLocation)
    let outside = outcome.changed.filter { path in !allowed.contains { path == $0 || path.hasPrefix($0 + "/") } }
    #expect(outside.isEmpty, "changed outside \(allowed): \(outside)", sourceLocation: sourceLocation)
}
