import Foundation
import Testing
import TestSupport

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

    /// `compare` without `--plot` writes its curves beside the first run, inside the results
    /// folder, not into the working directory (`expect` fails on any change outside `Results`).
    @Test func compareWritesItsCurvesInsideTheResultsFolder() throws {
        let sandbox = try Sandbox()
        for (run, loss) in [("d", "1.5"), ("e", "1.2")] {
            try sandbox.write("eer,eer_lo,eer_hi\n0.1,0.05,0.2\n", to: "Results/\(run)/metrics.csv")
            try sandbox.write("label,score\n1,0.8\n0,0.2\n", to: "Results/\(run)/scores.csv")
            try sandbox.write("stage,epoch,step,loss,accuracy,val_loss,val_accuracy,eer,lr,seconds,samples_per_second\npretrain,1,20,\(loss),0.5,1.6,0.4,,0.001,1.0,100\n",
                              to: "Results/\(run)/history.csv")
        }
        expect(try sandbox.run(["compare", "Results/d", "Results/e"]), status: 0, contains: ["training curves: ", "Results/compare-curves.svg"], mayChange: ["Results"])
    }

    /// A stale table of a run made with this build's reproducible numerics: `table --check`
    /// reports the stale digit and does not blame the numerics (a fresh process once read
    /// OpenBLAS's configuration before choosing the kernel family, and named the CPU's own).
    @Test func aStaleTableOfThisBuildsNumericsIsNotBlamedOnTheNumerics() throws {
        let sandbox = try Sandbox()
        let committed = Fixtures.repositoryRoot.appendingPathComponent("Results/quickstart")
        for file in ["metrics.csv", "environment.json"] {
            try sandbox.write(try String(contentsOf: committed.appendingPathComponent(file), encoding: .utf8), to: "Results/quickstart/\(file)")
        }
        try sandbox.write("| run | EER |\n|---|---|\n| quickstart | 0.1 |\n", to: "stale.md")
        let outcome = try sandbox.run(["table", "Results/quickstart", "--metrics", "eer", "--ci", "none", "--check", "stale.md"])
        #expect(outcome.status == 1 && outcome.output.contains("row 'quickstart', column 'EER': the file has 0.1"), "\(outcome.output)")
        #expect(!outcome.output.contains("numerics fingerprints differ"), "\(outcome.output)")
    }

    /// A published run damaged by hand: `table` and `compare` name the file and the fix.
    @Test func aDamagedPublishedRunIsNamed() throws {
        let sandbox = try Sandbox()
        try sandbox.write("garbage\n", to: "Results/a/metrics.csv")
        expect(try sandbox.run(["table", "Results"]), status: 2, contains: ["Results/a/metrics.csv: a run's metrics.csv is a header and one row of values; this one has 0 rows"])
        try sandbox.write("eer,eer_lo,eer_hi\n0.1,0.05,0.2\n", to: "Results/b/metrics.csv")
        try sandbox.write("label,score\n1,x\n0,0.2\n", to: "Results/b/scores.csv")
        try sandbox.write("eer,eer_lo,eer_hi\n0.2,0.1,0.3\n", to: "Results/c/metrics.csv")
        try sandbox.write("label,score\n1,0.8\n0,0.2\n", to: "Results/c/scores.csv")
        expect(try sandbox.run(["compare", "Results/b", "Results/c", "--plot", "Results/curves.svg"]), status: 2, contains: ["Results/b/scores.csv:2: error: score 'x' is not a finite number"],
               mayChange: ["Results"])
    }
}
