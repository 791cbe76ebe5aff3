import Foundation

/// A fresh folder under the system temporary directory, removed when the value is released.
public final class TemporaryDirectory {
    /// The folder's location.
    public let url: URL

    /// Creates an empty folder whose name starts with `prefix`.
    public init(_ prefix: String = "speakerlab-test") {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// The path of a file or folder inside this one.
    public func path(_ relative: String) -> String { url.appendingPathComponent(relative).path }
}
