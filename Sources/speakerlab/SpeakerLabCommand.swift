import ArgumentParser
import Foundation
import Pipeline
import Stages

/// The `speakerlab` command: a declarative experiment runner for speaker recognition.
@main
struct SpeakerLabCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "speakerlab",
        abstract: "A declarative experiment runner for speaker recognition.",
        version: SpeakerLabVersion.current,
        subcommands: [RunCommand.self, PlanCommand.self, StatusCommand.self, RunsCommand.self, TableCommand.self, CompareCommand.self, StageCommand.self, GarbageCollectCommand.self, DoctorCommand.self, AudioCommand.self, DatasetCommand.self, MetricsCommand.self, ModelCommand.self, SpecCommand.self, EmbedCommand.self, TrialsCommand.self, ScoreCommand.self, VerifyCommand.self, ExportCommand.self]
    )

    /// Parses and runs a subcommand; a Foundation file error is printed as a sentence with its
    /// path (exit 2), never as `NSCocoaErrorDomain Code=…`.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as NSError where error.domain == NSCocoaErrorDomain || error.domain == NSPOSIXErrorDomain {
            printError(FileSystemMessage.describe(error))
            Foundation.exit(2)
        } catch {
            exit(withError: error)
        }
    }
}
