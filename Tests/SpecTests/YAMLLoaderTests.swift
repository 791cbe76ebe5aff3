import Diagnostics
import Testing
@testable import Spec

@Suite struct YAMLLoaderTests {
    struct Optimizer: Decodable, Equatable { let kind: String; let lr: Double; let momentum: Double? }
    struct Document: Decodable, Equatable { let name: String; let seed: Int; let optimizer: Optimizer }

    @Test func decodesANestedDocument() throws {
        let text = """
        name: demo   # a comment
        seed: 7
        optimizer:
          kind: sgd
          lr: 0.01
          momentum: 0.9
        """
        let document = try YAMLLoader().decode(Document.self, from: text, file: "demo.yaml")
        #expect(document == Document(name: "demo", seed: 7, optimizer: Optimizer(kind: "sgd", lr: 0.01, momentum: 0.9)))
    }

    @Test func aWrongTypeIsReportedAtItsLineAndColumnWithACaret() {
        let text = "name: demo\nseed: 7\noptimizer:\n  kind: sgd\n  lr: fast\n"
        do {
            _ = try YAMLLoader().decode(Document.self, from: text, file: "x.yaml")
            Issue.record("decoding should fail")
        } catch let diagnostic as Diagnostic {
            #expect(diagnostic.line == 5)
            #expect(diagnostic.column == 7)
            #expect(diagnostic.description.hasPrefix("x.yaml:5:7: error: 'optimizer.lr' must be a number"))
            #expect(diagnostic.description.hasSuffix("  lr: fast\n      ^"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func aMissingKeyNamesItsParent() {
        let text = "name: demo\nseed: 7\noptimizer:\n  kind: sgd\n"
        #expect(throws: Diagnostic.self) { try YAMLLoader().decode(Document.self, from: text, file: "x.yaml") }
        do { _ = try YAMLLoader().decode(Document.self, from: text, file: "x.yaml") } catch {
            #expect("\(error)".contains("x.yaml:4:3: error: missing key 'lr' in 'optimizer'"))
        }
    }

    @Test func brokenYAMLIsLocated() {
        let text = "name: demo\nseed: [7\n"
        do {
            _ = try YAMLLoader().decode(Document.self, from: text, file: "broken.yaml")
            Issue.record("parsing should fail")
        } catch let diagnostic as Diagnostic {
            #expect(diagnostic.line != nil)
            #expect(diagnostic.message.hasPrefix("not valid YAML"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}
