import Datasets
import Foundation
import Pipeline

/// The audio files a command is given: files as named, folders walked for audio
/// (`.wav`, `.flac`, `.sph` in any case) in path order. Each file's id is its path relative to
/// the folder it was found in (a named file's id is its path as given).
public enum AudioInputs {
    /// One audio file and its id.
    public struct File: Sendable, Equatable {
        public let id: String
        public let path: String
    }

    /// Expands the arguments; a path that does not exist, or a folder with no audio, is an error naming it.
    public static func expand(_ arguments: [String]) throws -> [File] {
        var files: [File] = []
        for argument in arguments {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isFolder) else {
                throw PipelineError("\(argument): no such file or folder")
            }
            guard isFolder.boolValue else { files.append(File(id: argument, path: argument)); continue }
            let root = URL(fileURLWithPath: argument).standardizedFileURL
            var found: [File] = []
            if let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles]) {
                for case let url as URL in walker where SpeakerFolderCorpus.extensions.contains(url.pathExtension.lowercased()) {
                    let path = url.standardizedFileURL.path
                    found.append(File(id: String(path.dropFirst(root.path.count + 1)), path: path))
                }
            }
            guard !found.isEmpty else {
                throw PipelineError("\(argument): no audio files (\(SpeakerFolderCorpus.extensions.sorted().joined(separator: ", "))) in this folder")
            }
            files += found.sorted { $0.id < $1.id }
        }
        var seen = Set<String>()
        for file in files where !seen.insert(file.id).inserted {
            throw PipelineError("two files have the id '\(file.id)'; name folders whose files do not share relative paths")
        }
        return files
    }
}
