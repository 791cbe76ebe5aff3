import Foundation

/// One native library SpeakerLab needs: its Debian package, pkg-config name, shared object
/// and the function that reports its version.
public struct NativeLibrary: Sendable, Equatable {
    /// The name people know it by.
    public let name: String
    /// The Debian `-dev` package that provides headers, pkg-config file and library.
    public let aptPackage: String
    /// The pkg-config module the build uses.
    public let pkgConfigModule: String
    /// The shared object loaded at run time.
    public let sharedObject: String
    /// How to read the version once the library is loaded.
    public let version: VersionSymbol

    /// A symbol that yields a version or configuration text.
    public enum VersionSymbol: Sendable, Equatable {
        /// `const char *f(void)`.
        case function(String)
        /// `const char name[]`.
        case string(String)
        /// `const char *f(int)`, called with 0 (OpenSSL_version(OPENSSL_VERSION)).
        case functionOfZero(String)
    }

    /// The libraries every build links, in the order `doctor` reports them.
    public static let required: [NativeLibrary] = [
        NativeLibrary(name: "libsndfile", aptPackage: "libsndfile1-dev", pkgConfigModule: "sndfile",
                      sharedObject: "libsndfile.so.1", version: .function("sf_version_string")),
        NativeLibrary(name: "FFTW (single precision)", aptPackage: "libfftw3-dev", pkgConfigModule: "fftw3f",
                      sharedObject: "libfftw3f.so.3", version: .string("fftwf_version")),
        NativeLibrary(name: "OpenBLAS", aptPackage: "libopenblas-dev", pkgConfigModule: "openblas",
                      sharedObject: "libopenblas.so.0", version: .function("openblas_get_config")),
        NativeLibrary(name: "libsoxr", aptPackage: "libsoxr-dev", pkgConfigModule: "soxr",
                      sharedObject: "libsoxr.so.0", version: .function("soxr_version")),
        NativeLibrary(name: "OpenSSL libcrypto (SHA-256)", aptPackage: "libssl-dev", pkgConfigModule: "libcrypto",
                      sharedObject: "libcrypto.so.3", version: .functionOfZero("OpenSSL_version")),
        // Yams parses with its own vendored copy of libyaml; the system library is checked so the
        // machine matches the one the project's set-up describes.
        NativeLibrary(name: "libyaml", aptPackage: "libyaml-dev", pkgConfigModule: "yaml-0.1",
                      sharedObject: "libyaml-0.so.2", version: .function("yaml_get_version_string")),
    ]
}

/// What `doctor` asks of the machine; the real one asks pkg-config and the dynamic loader.
public protocol MachineProbe {
    /// Whether pkg-config itself can be run.
    func hasPkgConfig() -> Bool
    /// Whether pkg-config knows a module (its `-dev` package is installed).
    func hasModule(_ module: String) -> Bool
    /// Loads a shared object and reads a version symbol; nil when either is missing.
    func versionText(of library: NativeLibrary) -> String?
    /// Loads a shared object and calls `int f(void)`; nil when either is missing.
    func integer(from sharedObject: String, function: String) -> Int?
}

/// The probe of the machine this process runs on.
public struct SystemProbe: MachineProbe {
    /// Creates the probe.
    public init() {}

    public func hasPkgConfig() -> Bool { run(["pkg-config", "--version"]) }

    public func hasModule(_ module: String) -> Bool { run(["pkg-config", "--exists", module]) }

    public func versionText(of library: NativeLibrary) -> String? {
        guard let handle = dlopen(library.sharedObject, RTLD_NOW | RTLD_LOCAL) else { return nil }
        switch library.version {
        case let .function(symbol):
            guard let address = dlsym(handle, symbol) else { return nil }
            typealias Function = @convention(c) () -> UnsafePointer<CChar>?
            return unsafeBitCast(address, to: Function.self)().map { String(cString: $0) }
        case let .string(symbol):
            guard let address = dlsym(handle, symbol) else { return nil }
            return String(cString: address.assumingMemoryBound(to: CChar.self))
        case let .functionOfZero(symbol):
            guard let address = dlsym(handle, symbol) else { return nil }
            typealias Function = @convention(c) (Int32) -> UnsafePointer<CChar>?
            return unsafeBitCast(address, to: Function.self)(0).map { String(cString: $0) }
        }
    }

    public func integer(from sharedObject: String, function: String) -> Int? {
        guard let handle = dlopen(sharedObject, RTLD_NOW | RTLD_LOCAL), let address = dlsym(handle, function) else { return nil }
        typealias Function = @convention(c) () -> Int32
        return Int(unsafeBitCast(address, to: Function.self)())
    }

    private func run(_ arguments: [String]) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}
