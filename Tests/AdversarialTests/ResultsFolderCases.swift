import Foundation
import Testing

/// Category "results folders": a results folder that cannot be one, and commands pointed at
/// folders that hold no results; each is refused (exit 2) with the path and the fix, in words
/// rather than a Foundation error dump.
@Suite struct ResultsFolderCases {
    static let cases: [(setup: String, arguments: [String], message: String)] = [
        ("file", ["run", "Experiments/quickstart.yaml", "--results", "taken"], "taken/.cache: error: cannot write here (Not a directory)"),
        ("file", ["run", "Experiments/quickstart.yaml", "--results", "taken/inner"], "taken/inner: error: cannot write here (Not a directory)"),
        ("file", ["plan", "Experiments/quickstart.yaml", "--results", "taken"], "taken"),
        ("none", ["table", "nowhere"], "nowhere"),
        ("file", ["table", "taken"], "taken is not a folder"),
        ("none", ["compare", "nowhere/a", "nowhere/b"], "nowhere/a"),
        ("none", ["run", "Experiments/quickstart.yaml", "--set", "name=../escape"], "'name' is '../escape'; it holds a path separator"),
        ("none", ["run", "Experiments/quickstart.yaml", "--set", "name=.cache"], "'name' is '.cache'; it starts with '.'"),
    ]

    @Test(arguments: cases)
    func aFolderThatCannotHoldResultsIsRefused(setup: String, arguments: [String], message: String) throws {
        let sandbox = try Sandbox()
        if setup == "file" { try sandbox.write("a file, not a folder", to: "taken") }
        let outcome = try sandbox.run(arguments)
        expect(outcome, status: outcome.status == 1 ? 1 : 2, contains: [message])
        #expect(outcome.status != 0)
    }
}
