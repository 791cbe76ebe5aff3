/// An audio file that cannot be used, with the path and the reason.
public struct AudioError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file the error is about.
    public let path: String
    /// What went wrong, in words a user can act on.
    public let reason: String

    /// Creates an error about one file.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// `path: error: reason`, the way a compiler reports a file.
    public var description: String { "\(path): error: \(reason)" }
}
