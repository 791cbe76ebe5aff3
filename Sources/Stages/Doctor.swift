import Foundation

/// `speakerlab doctor`: checks each native library and the toolchain, and says how to fix what is missing.
public struct DoctorReport: Sendable {
    /// One line of the report.
    public struct Check: Sendable, Equatable {
        /// What was checked.
        public let name: String
        /// The version or configuration found, or what is missing.
        public let detail: String
        /// Whether the check passed.
        public let passed: Bool
    }

    /// Every check, in order.
    public let checks: [Check]
    /// The Debian packages to install to fix every failed check.
    public let missingPackages: [String]

    /// Whether everything SpeakerLab needs is present.
    public var passed: Bool { missingPackages.isEmpty && checks.allSatisfy(\.passed) }

    /// Runs every check against a machine.
    public init(probe: MachineProbe = SystemProbe(), isRoot: Bool = geteuid() == 0) {
        var checks: [Check] = []
        var missing: [String] = []
        let hasPkgConfig = probe.hasPkgConfig()
        if !hasPkgConfig {
            checks.append(Check(name: "pkg-config", detail: "not found", passed: false))
            missing.append("pkg-config")
        }
        for library in NativeLibrary.required {
            let headersPresent = hasPkgConfig ? probe.hasModule(library.pkgConfigModule) : false
            let version = probe.versionText(of: library)
            var detail = version ?? "\(library.sharedObject) not loadable"
            if !headersPresent { detail += "; \(library.aptPackage) not installed (pkg-config '\(library.pkgConfigModule)' missing)" }
            if library.pkgConfigModule == "openblas", let threads = probe.integer(from: library.sharedObject, function: "openblas_get_num_threads") {
                detail += "; threads \(threads)"
            }
            let passed = headersPresent && version != nil
            if !passed && !missing.contains(library.aptPackage) { missing.append(library.aptPackage) }
            checks.append(Check(name: library.name, detail: detail, passed: passed))
        }
        checks.append(Check(name: "Swift", detail: EnvironmentRecord.swiftVersion, passed: true))
        checks.append(Check(name: "cores", detail: "\(ProcessInfo.processInfo.activeProcessorCount)", passed: true))
        self.checks = checks
        self.missingPackages = missing
        self.fix = missing.isEmpty ? nil : (isRoot ? "" : "sudo ") + "apt-get install -y " + missing.joined(separator: " ")
    }

    /// The one command that installs everything missing, or nil when nothing is.
    public let fix: String?

    /// The report as a person reads it.
    public var text: String {
        let width = checks.map(\.name.count).max() ?? 0
        var lines = checks.map { check in
            (check.passed ? "ok      " : "MISSING ") + check.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + check.detail
        }
        if let fix { lines.append("fix: \(fix)") }
        return lines.joined(separator: "\n") + "\n"
    }
}
