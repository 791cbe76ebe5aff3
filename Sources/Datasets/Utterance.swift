/// One recording in a corpus, with everything protocols need to know about it.
public struct Utterance: Equatable, Hashable, Sendable, Codable {
    /// A corpus-unique id, e.g. `fcjf0_sa1`.
    public var id: String
    /// The speaker's id, e.g. `fcjf0`.
    public var speaker: String
    /// The audio file.
    public var path: String
    /// The corpus's own split (`train`, `test`), or empty when it has none.
    public var split: String
    /// `m`, `f`, or empty when unknown.
    public var sex: String
    /// TIMIT's dialect region (`dr1`…`dr8`), or empty.
    public var dialect: String
    /// TIMIT's sentence type (`sa`, `si`, `sx`), or empty.
    public var sentenceType: String

    /// Creates an utterance record.
    public init(id: String, speaker: String, path: String, split: String = "", sex: String = "", dialect: String = "", sentenceType: String = "") {
        self.id = id
        self.speaker = speaker
        self.path = path
        self.split = split
        self.sex = sex
        self.dialect = dialect
        self.sentenceType = sentenceType
    }

    /// The file name without folders, the key the seed sorts by.
    public var fileName: String { path.split(separator: "/").last.map(String.init) ?? path }
}

/// A corpus that cannot be read or used as asked, with what and where.
public struct DatasetError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The whole message, naming the path or speaker and the fix.
    public let description: String

    /// Creates an error.
    public init(_ description: String) { self.description = description }
}
