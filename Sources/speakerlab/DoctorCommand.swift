import ArgumentParser
import Stages

/// `speakerlab doctor`: reports the native libraries and toolchain, with the fix for anything missing.
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the native libraries and toolchain SpeakerLab needs."
    )

    func run() throws {
        let report = DoctorReport()
        print(report.text, terminator: "")
        if !report.passed { throw ExitCode(1) }
    }
}
