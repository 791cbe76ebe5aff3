import Foundation
import Testing
import TestSupport
@testable import Stages

/// An experiment's name is one folder under Results/: names that would write elsewhere (the
/// parent, the project root, the cache, a nested path) are located errors before anything is
/// written, and sweep values that look like paths make safe point folders.
@Suite struct ResultsConfinementTests {
    static let spec = ExperimentRunTests.tinySpec

    @Test(arguments: ["../victim", "..", ".", ".cache", "a/b", "/tmp/x", "", "a b", "x\\y"])
    func anUnsafeNameIsRefusedBeforeAnyWrite(name: String) throws {
        // Results/ inside a folder of its own: nothing may appear anywhere in that folder.
        let outer = TemporaryDirectory()
        let results = outer.url.appendingPathComponent("Results")
        #expect { try ExperimentRun.run(specPath: Self.spec, overrides: ExperimentRunTests.tiny + ["name=\(name)"], locations: .init(results: results),
                                        jobs: 1, keepGoing: false, force: []) } throws: { error in
            "\(error)".contains("--set name") && "\(error)".contains("a name is one folder under the results folder")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: outer.url.path).isEmpty, "something was written")
    }

    @Test func aNameInTheSpecFileIsLocatedAtItsLine() throws {
        let folder = TemporaryDirectory()
        try "extends: \(Self.spec)\nname: ../escape\n".write(toFile: folder.path("bad.yaml"), atomically: true, encoding: .utf8)
        #expect { try ExperimentPlan(specPath: folder.path("bad.yaml")) } throws: { "\($0)".contains("bad.yaml:2:7: error: 'name' is '../escape'; it holds a path separator") }
    }

    @Test(arguments: [("evaluate.bootstrap=1", "'evaluate.bootstrap' is 1; it must be 2 ≤ x ≤ 100000"),
                      ("evaluate.nontarget_pairs=0", "'evaluate.nontarget_pairs' is 0; it must be 1 ≤ x"),
                      ("execution.threads=-2", "'execution.threads' is -2; it must be 0 ≤ x ≤ 4096"),
                      ("dataset.seed=-1", "'dataset.seed' is -1; it must be 0 ≤ x")])
    func aValueOutOfRangeIsRefusedAtPlanTime(override: String, message: String) throws {
        #expect { try ExperimentPlan(specPath: Self.spec, overrides: [override]) } throws: { "\($0)".contains(message) && "\($0)".contains("--set ") }
    }

    @Test func sweepValuesThatLookLikePathsMakeSafeFolders() throws {
        let sweep = try Sweep(overrides: ["dataset.root=../..,/etc"])
        // Cleaned names end in a digest of the exact value, so two values never share a folder.
        #expect(sweep.points.map { $0.name.split(separator: "-").first.map(String.init) } == ["root=.._..", "root=_etc"])
        #expect(sweep.points.allSatisfy { $0.name.count == "root=".count + 5 + 9 || $0.name.hasPrefix("root=_etc-") })
        #expect(Sweep.folderName(".hidden=1") == "_hidden=1")
    }
}
