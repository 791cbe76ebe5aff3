import ArgumentParser
import Stages

/// The `speakerlab` command: a declarative experiment runner for speaker recognition.
@main
struct SpeakerLabCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "speakerlab",
        abstract: "A declarative experiment runner for speaker recognition.",
        version: SpeakerLabVersion.current,
        subcommands: [RunCommand.self, PlanCommand.self, StatusCommand.self, TableCommand.self, CompareCommand.self, StageCommand.self, GarbageCollectCommand.self, DoctorCommand.self, AudioCommand.self, DatasetCommand.self, MetricsCommand.self, ModelCommand.self, SpecCommand.self]
    )
}
