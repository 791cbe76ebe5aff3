import ArgumentParser
import Diagnostics
import Pipeline

/// Prints a generated reference, or with `--update FILE` rewrites its section of that file in place.
func printOrUpdate(_ section: GeneratedSection, markdown: String, update file: String?) throws {
    guard let file else { print(markdown, terminator: ""); return }
    guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { printError("\(file): error: cannot read this file"); throw ExitCode(2) }
    guard let updated = section.updating(text, with: markdown) else {
        printError("\(file): error: no \(section.name) section; add the lines\n\(section.begin)\n\(section.end)")
        throw ExitCode(2)
    }
    try AtomicFile.write(updated, to: file)
}
