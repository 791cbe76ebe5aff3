import Foundation
import Testing

/// Category "score files": `speakerlab metrics FILE` on score files a user exported by hand; each
/// is refused (exit 2) at its line, and nothing is written.
@Suite struct ScoreFileCases {
    static let cases: [(text: String, message: String)] = [
        ("label,score\n1,0.9\n0,0.1\n1,abc\n", "scores.csv:4: error: score 'abc' is not a finite number"),
        ("label,score\n1,nan\n0,0.1\n", "scores.csv:2: error: score 'nan' is not a finite number"),
        ("label,score\n1,inf\n0,0.1\n", "scores.csv:2: error: score 'inf' is not a finite number"),
        ("label,score\n2,0.5\n0,0.1\n", "scores.csv:2: error: label '2' must be 1 (target) or 0 (non-target)"),
        ("label,score\nyes,0.5\n0,0.1\n", "scores.csv:2: error: label 'yes' must be 1 (target) or 0 (non-target)"),
        ("label,score\n1,0.9\n1,0.1\n", "scores.csv: error: the trials hold only one class"),
        ("label,score\n0,0.9\n0,0.1\n", "scores.csv: error: the trials hold only one class"),
        ("", "scores.csv:1: error: no header line"),
        ("label,score\n", "scores.csv"),
        ("label,score\n1,0.9,3\n0,0.1\n", "scores.csv:2: error: 3 cells, the header has 2"),
        ("target,value\n1,0.9\n0,0.1\n", "scores.csv:1: error: the header must name columns 'label' and 'score'"),
        ("label;score\n1;0.9\n0;0.1\n", "scores.csv:1: error: the header must name columns 'label' and 'score'"),
        ("label,score\n\"1,0.9\n0,0.1\n", "scores.csv"),
    ]

    @Test(arguments: cases)
    func aHostileScoreFileIsRefusedAtItsLine(text: String, message: String) throws {
        let sandbox = try Sandbox()
        try sandbox.write(text, to: "scores.csv")
        expect(try sandbox.run(["metrics", "scores.csv"]), status: 2, contains: [message])
    }

    @Test func aFolderOrAMissingFileIsRefused() throws {
        let sandbox = try Sandbox()
        expect(try sandbox.run(["metrics", "Experiments"]), status: 2, contains: ["Experiments: error:"])
        expect(try sandbox.run(["metrics", "absent.csv"]), status: 2, contains: ["absent.csv: error: cannot read the file; check the path"])
        try sandbox.write("label,score\n1,0.9\n0,0.1\n", to: "scores.csv")
        expect(try sandbox.run(["metrics", "scores.csv", "--metrics", "eer,nonsense"]), status: 2, contains: ["nonsense"])
    }
}
