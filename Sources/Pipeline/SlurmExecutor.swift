import Foundation

/// Runs stages as Slurm jobs over a shared cache: each stage to compute becomes an `sbatch` job
/// (stages of one kind in a sweep become one job array), inputs become `afterok` dependencies,
/// and each stage's job folder (`<cache>/jobs/<key>/`) records the job id, the script, stdout,
/// stderr and an exit code the job writes itself. A restarted runner re-attaches to jobs still
/// queued or running, trusts only entries whose exit code is 0 and whose cache entry is
/// complete, and resubmits failed or lost jobs only when asked (`retry`).
public struct SlurmExecutor: Executor {
    /// Resource requests and behaviour.
    public struct Settings: Sendable, Equatable {
        public var partition: String?
        public var time: String?
        public var memory: String?
        public var cpus: Int?
        /// The `%N` cap on a job array's running tasks.
        public var maxParallel: Int?
        /// Resubmit stages whose earlier job failed or was lost.
        public var retry = false
        /// Seconds between queue polls.
        public var pollSeconds = 2.0
        /// The working folder of every job.
        public var workingFolder = FileManager.default.currentDirectoryPath

        public init() {}
    }

    /// The settings.
    public let settings: Settings
    /// The command a job runs to compute one stage (`speakerlab stage run <key> …`); the caller
    /// may write whatever the command needs into the job folder it is given.
    public let command: (_ stage: Stage, _ key: CacheKey, _ folder: URL, _ forced: Bool) throws -> [String]
    /// Talks to Slurm.
    public let client: SlurmClient
    /// Where progress lines go.
    public let log: (String) -> Void

    /// Creates an executor.
    public init(settings: Settings, client: SlurmClient = SlurmClient(), log: @escaping (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) },
                command: @escaping (Stage, CacheKey, URL, Bool) throws -> [String]) {
        self.settings = settings
        self.client = client
        self.log = log
        self.command = command
    }

    /// The job folder of a key.
    public static func jobFolder(_ store: ArtifactStore, _ key: CacheKey) -> URL {
        store.root.appendingPathComponent("jobs").appendingPathComponent(key.hex)
    }

    public func run(_ graph: StageGraph, store: ArtifactStore, force: Set<String>) -> StageRunner.Summary {
        var outcomes: [String: StageRunner.Outcome] = [:]
        var jobIds: [String: String] = [:]
        do {
            try submitOrAttach(graph, store: store, force: force, outcomes: &outcomes, jobIds: &jobIds)
            try wait(for: jobIds)
        } catch {
            for stage in graph.stages where outcomes[stage.id] == nil && jobIds[stage.id] == nil { outcomes[stage.id] = .failed("\(error)") }
        }
        // Outcomes of the jobs, in graph order so a failed input explains its dependents.
        for stage in graph.stages where outcomes[stage.id] == nil {
            let key = graph.keys[stage.id]!
            if let broken = stage.inputs.first(where: { id in
                switch outcomes[id] { case .failed?, .skipped?: return true; default: return false }
            }) {
                outcomes[stage.id] = .skipped(because: "input '\(broken)' did not complete")
                continue
            }
            guard let id = jobIds[stage.id] else { outcomes[stage.id] = .failed("no job was submitted"); continue }
            let folder = Self.jobFolder(store, key)
            let exitCode = (try? String(contentsOf: folder.appendingPathComponent("exit_code"), encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            if store.isComplete(key) && exitCode == "0" {
                outcomes[stage.id] = .ran
            } else {
                let state = (try? client.state(id)).map { "\($0)" } ?? "unknown"
                outcomes[stage.id] = .failed("Slurm job \(id) ended without a complete entry (state \(state), exit code \(exitCode ?? "none")); see \(folder.appendingPathComponent("stderr").path); --retry resubmits it")
            }
        }
        return StageRunner.Summary(outcomes: outcomes, order: graph.stages.map(\.id))
    }

    /// Decides each stage: cached, attached to a live job, failed earlier (resubmitted with
    /// `retry`), or submitted now with `afterok` dependencies on its inputs' jobs.
    func submitOrAttach(_ graph: StageGraph, store: ArtifactStore, force: Set<String>,
                        outcomes: inout [String: StageRunner.Outcome], jobIds: inout [String: String]) throws {
        let jobsRoot = store.root.appendingPathComponent("jobs")
        try FileManager.default.createDirectory(at: jobsRoot, withIntermediateDirectories: true)
        // One runner submits at a time, so two runners never submit the same stage twice.
        let lockDescriptor = open(jobsRoot.appendingPathComponent("submit.lock").path, O_CREAT | O_RDWR, 0o644)
        guard lockDescriptor >= 0 else { throw PipelineError("cannot open \(jobsRoot.path)/submit.lock") }
        defer { flock(lockDescriptor, LOCK_UN); close(lockDescriptor) }
        while flock(lockDescriptor, LOCK_EX) != 0 { guard errno == EINTR else { throw PipelineError("cannot lock \(jobsRoot.path)/submit.lock") } }

        var toSubmit: [Stage] = []
        for stage in graph.stages {
            let key = graph.keys[stage.id]!
            let folder = Self.jobFolder(store, key)
            let forced = force.contains(stage.id)
            if stage.inputs.contains(where: { if case .failed? = outcomes[$0] { return true }; if case .skipped? = outcomes[$0] { return true }; return false }) {
                outcomes[stage.id] = .skipped(because: "an input did not complete")
                continue
            }
            let previous = (try? String(contentsOf: folder.appendingPathComponent("job_id"), encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            if let previous, !previous.isEmpty {
                let state = try client.state(previous)
                if case let .active(name) = state {
                    log("attached  \(stage.id): Slurm job \(previous) is \(name)")
                    jobIds[stage.id] = previous
                    continue
                }
                let exitCode = (try? String(contentsOf: folder.appendingPathComponent("exit_code"), encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
                if store.isComplete(graph.keys[stage.id]!) && exitCode == "0" && !forced {
                    outcomes[stage.id] = .cached
                    continue
                }
                if !settings.retry && !forced && !store.isComplete(key) {
                    outcomes[stage.id] = .failed("Slurm job \(previous) \(state == .unknown ? "was lost (Slurm no longer knows it)" : "ended as \(state)") with exit code \(exitCode ?? "none") and no complete entry; see \(folder.appendingPathComponent("stderr").path); rerun with --retry to resubmit")
                    continue
                }
            }
            if store.isComplete(key) && !forced {
                outcomes[stage.id] = .cached
                continue
            }
            toSubmit.append(stage)
        }

        // Stages of one kind that appear several times (sweep points) go out as one job array.
        var submittedKinds: Set<String> = []
        for stage in toSubmit where outcomes[stage.id] == nil && jobIds[stage.id] == nil {
            let group = toSubmit.filter { $0.kind == stage.kind && jobIds[$0.id] == nil && outcomes[$0.id] == nil }
            let members = (submittedKinds.contains(stage.kind) || group.count < 2) ? [stage] : group
            submittedKinds.insert(stage.kind)
            let memberIds = Set(members.map(\.id))
            var dependencies: [String] = []
            for member in members {
                for input in member.inputs where !memberIds.contains(input) {
                    if let id = jobIds[input], !dependencies.contains(id) { dependencies.append(id) }
                }
            }
            let ids = try submit(members, graph: graph, store: store, force: force, dependencies: dependencies)
            for (member, id) in zip(members, ids) { jobIds[member.id] = id }
        }
    }

    /// Submits one job (or one array for several stages); returns each stage's job id.
    func submit(_ stages: [Stage], graph: StageGraph, store: ArtifactStore, force: Set<String>, dependencies: [String]) throws -> [String] {
        let jobsRoot = store.root.appendingPathComponent("jobs")
        var cases: [String] = []
        for (index, stage) in stages.enumerated() {
            let key = graph.keys[stage.id]!
            let folder = Self.jobFolder(store, key)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            // A resubmission keeps the earlier attempt's files beside the new ones.
            if let previous = try? String(contentsOf: folder.appendingPathComponent("job_id"), encoding: .utf8) {
                let attempt = folder.appendingPathComponent("attempt-\(previous.trimmingCharacters(in: .whitespacesAndNewlines))")
                try? FileManager.default.createDirectory(at: attempt, withIntermediateDirectories: true)
                for name in ["job_id", "stdout", "stderr", "exit_code"] {
                    try? FileManager.default.moveItem(at: folder.appendingPathComponent(name), to: attempt.appendingPathComponent(name))
                }
            }
            let arguments = try command(stage, key, folder, force.contains(stage.id))
            let line = arguments.map(Self.quote).joined(separator: " ")
            try AtomicFile.write(line + "\n", to: folder.appendingPathComponent("command").path)
            let quotedFolder = Self.quote(folder.path)
            cases.append("""
              \(index))
                folder=\(quotedFolder)
                exec >"$folder/stdout" 2>"$folder/stderr"
                \(line)
                ;;
            """)
        }
        let script = """
        #!/usr/bin/env bash
        # Written by speakerlab: computes \(stages.count == 1 ? "one stage" : "\(stages.count) stages as a job array") into the shared cache.
        code=0
        case "${SLURM_ARRAY_TASK_ID:-0}" in
        \(cases.joined(separator: "\n"))
          *) echo "no stage for array task ${SLURM_ARRAY_TASK_ID}" >&2; exit 2 ;;
        esac
        code=$?
        echo "$code" >"$folder/exit_code.partial" && mv "$folder/exit_code.partial" "$folder/exit_code"
        exit "$code"

        """
        let scriptPath = jobsRoot.appendingPathComponent("\(stages[0].kind)-\(graph.keys[stages[0].id]!.short).sh").path
        try AtomicFile.write(script, to: scriptPath)
        var arguments = ["--job-name=speakerlab-\(stages[0].kind)", "--chdir=\(settings.workingFolder)", "--kill-on-invalid-dep=yes",
                         "--output=\(jobsRoot.path)/slurm-%A_%a.out"]
        if stages.count > 1 { arguments.append("--array=0-\(stages.count - 1)" + (settings.maxParallel.map { "%\($0)" } ?? "")) }
        if !dependencies.isEmpty { arguments.append("--dependency=afterok:" + dependencies.joined(separator: ":")) }
        if let partition = settings.partition { arguments.append("--partition=\(partition)") }
        if let time = settings.time { arguments.append("--time=\(time)") }
        if let memory = settings.memory { arguments.append("--mem=\(memory)") }
        if let cpus = settings.cpus { arguments.append("--cpus-per-task=\(cpus)") }
        let id = try client.submit(script: scriptPath, arguments: arguments)
        let ids = stages.count == 1 ? [id] : stages.indices.map { "\(id)_\($0)" }
        let logFile = jobsRoot.appendingPathComponent("submitted.log")
        for (stage, jobId) in zip(stages, ids) {
            let key = graph.keys[stage.id]!
            try AtomicFile.write(jobId + "\n", to: Self.jobFolder(store, key).appendingPathComponent("job_id").path)
            let line = "\(ISO8601DateFormatter().string(from: Date())) \(jobId) \(stage.id) \(key.hex)\n"
            if let handle = FileHandle(forWritingAtPath: logFile.path) {
                handle.seekToEndOfFile()
                handle.write(Data(line.utf8))
                handle.closeFile()
            } else {
                try line.write(to: logFile, atomically: true, encoding: .utf8)
            }
            log("submitted \(stage.id): Slurm job \(jobId)" + (dependencies.isEmpty ? "" : " after \(dependencies.joined(separator: ","))"))
        }
        return ids
    }

    /// Polls the queue until none of the jobs is queued or running.
    func wait(for jobIds: [String: String]) throws {
        var remaining = Set(jobIds.values)
        var lastStates: [String: String] = [:]
        while !remaining.isEmpty {
            let queued = try client.queued(Array(remaining))
            for id in remaining where queued[id] == nil {
                // An array task not yet split out of its pending array shows under the array id.
                let arrayId = id.split(separator: "_").first.map(String.init) ?? id
                if id.contains("_"), queued.keys.contains(where: { $0.hasPrefix(arrayId + "_[") }) { continue }
                remaining.remove(id)
            }
            for (id, state) in queued where lastStates[id] != state {
                lastStates[id] = state
                if let stage = jobIds.first(where: { $0.value == id })?.key { log("\(state.lowercased().padding(toLength: 9, withPad: " ", startingAt: 0)) \(stage): Slurm job \(id)") }
            }
            if !remaining.isEmpty { Thread.sleep(forTimeInterval: settings.pollSeconds) }
        }
    }

    /// Single-quotes a shell word.
    static func quote(_ word: String) -> String {
        word.allSatisfy({ $0.isLetter || $0.isNumber || "-_./=:,@%+".contains($0) }) && !word.isEmpty ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
