import Foundation

/// Golden files under `Tests/Fixtures/`, made by the scripts in `scripts/fixtures/`.
public enum Fixtures {
    /// The fixture folder, found from this source file's location.
    public static let directory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// Decodes a JSON fixture.
    public static func json<T: Decodable>(_ type: T.Type, _ name: String) throws -> T {
        let data = try Data(contentsOf: directory.appendingPathComponent(name))
        return try JSONDecoder().decode(type, from: data)
    }

    /// The repository root (the folder holding Package.swift).
    public static let repositoryRoot: URL = directory.deletingLastPathComponent().deletingLastPathComponent()
}
