import Testing
@testable import Stages

@Suite struct DoctorTests {
    /// A machine where some pkg-config modules and shared objects are absent.
    struct FakeMachine: MachineProbe {
        var missingModules: Set<String> = []
        var missingObjects: Set<String> = []
        var pkgConfig = true
        func hasPkgConfig() -> Bool { pkgConfig }
        func hasModule(_ module: String) -> Bool { !missingModules.contains(module) }
        func versionText(of library: NativeLibrary) -> String? {
            missingObjects.contains(library.sharedObject) ? nil : "\(library.name) 1.0"
        }
        func integer(from sharedObject: String, function: String) -> Int? { 2 }
    }

    @Test func theRealMachineHasEverything() {
        let report = DoctorReport()
        #expect(report.passed, "\(report.text)")
        #expect(report.fix == nil)
        #expect(report.text.contains("threads"))
    }

    @Test func missingFFTWHeadersNameThePackageAndFail() {
        let report = DoctorReport(probe: FakeMachine(missingModules: ["fftw3f"]), isRoot: false)
        #expect(!report.passed)
        #expect(report.missingPackages == ["libfftw3-dev"])
        #expect(report.fix == "sudo apt-get install -y libfftw3-dev")
        #expect(report.text.contains("MISSING FFTW (single precision)"))
    }

    @Test func aMissingRuntimeLibraryAndPkgConfigAreBothFixedInOneLine() {
        let report = DoctorReport(probe: FakeMachine(missingObjects: ["libopenblas.so.0"], pkgConfig: false), isRoot: true)
        #expect(report.fix?.hasPrefix("apt-get install -y pkg-config ") == true)
        #expect(report.missingPackages.contains("libopenblas-dev"))
    }
}
