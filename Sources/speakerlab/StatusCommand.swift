import ArgumentParser
import Foundation
import Stages

/// `speakerlab status`: experiments in Results/ and their state.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "List the experiments in Results/ with their metrics and cached stages.")

    @Option(help: "The results folder.")
    var results: String = "Results"

    func run() throws {
        print(try ExperimentRun.statusText(locations: .init(results: URL(fileURLWithPath: results))), terminator: "")
    }
}

/// `speakerlab gc`: remove cache entries no experiment refers to.
struct GarbageCollectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "gc", abstract: "List (or with --apply remove) cache entries no experiment in Results/ refers to.")

    @Option(help: "The results folder.")
    var results: String = "Results"

    @Flag(help: "Remove them (without it, only list them).")
    var apply = false

    func run() throws {
        print(try ExperimentRun.garbageCollect(locations: .init(results: URL(fileURLWithPath: results)), apply: apply), terminator: "")
    }
}
