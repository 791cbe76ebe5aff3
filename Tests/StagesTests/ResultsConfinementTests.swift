import Foundation
import Testing
import TestSupport
@testable import Stages

/// An experiment's name is one folder under Results/: names that would write elsewhere (the
/// parent, the project root, the cache, a nested path) are located errors before anything is
/// written, and sweep values that look like paths make safe point folders.
@Suite struct ResultsConfinementTests {
    static let spec = Fixtures.repositoryRoot.appendingPathComponent("Experiments/quickstart.yaml").path

    @Test(arguments: ["../victim", "..", ".", ".cache", "a/b", "/tmp/x", "", "a b", "x\\y"])
    func anUnsafeNameIsRefusedBeforeAnyWrite(name: String) throws {
        let results = TemporaryDirectory()
        let before = try FileManager.default.contentsOfDirectory(atPath: results.url.deletingLastPathComponent().path).sorted()
        #expect { try ExperimentRun.run(specPath: Self.spec, overrides: ExperimentRunTests.tiny + ["name=\(name)"], locations: .init(results: results.url),
                                        jobs: 1, keepGoing: false, force: []) } throws: { error in
            "\(error)".contains("--set name") && "\(error)".contains("a name is one folder under the results folder")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: results.url.path).isEmpty, "something was written into the results folder")
        #expect(try FileManager.default.contentsOfDirectory(atPath: results.url.deletingLastPathComponent().path).sorted() == before)
    }

    @Test func aNameInTheSpecFileIsLocatedAtItsLine() throws {
        let folder = TemporaryDirectory()
        try "extends: \(Self.spec)\nname: ../escape\n".write(toFile: folder.path("bad.yaml"), atomically: true, encoding: .utf8)
        #expect { try ExperimentPlan(specPath: folder.path("bad.yaml")) } throws: { "\($0)".contains("bad.yaml:2:1: error: name '../escape' holds a path separator") }
    }

    @Test func sweepValuesThatLookLikePathsMakeSafeFolders() throws {
        let sweep = try Sweep(overrides: ["dataset.root=../..,/etc"])
        #expect(sweep.points.map(\.name) == ["root=.._..", "root=_etc"])
        #expect(Sweep.folderName(".hidden=1") == "_hidden=1")
    }
}
