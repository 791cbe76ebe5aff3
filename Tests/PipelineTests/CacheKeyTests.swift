import Foundation
import Testing
import TestSupport
@testable import Pipeline

@Suite struct CacheKeyTests {
    static let parameters: CanonicalValue = .object(["lr": .number(0.01), "optimizer": .string("sgd"), "batch": .integer(32)])

    @Test func keyOrderDoesNotChangeTheKey() {
        let reordered: CanonicalValue = .object(["optimizer": .string("sgd"), "batch": .integer(32), "lr": .number(0.01)])
        let a = CacheKey(kind: "pretrain", codeVersion: 1, parameters: Self.parameters, inputs: [])
        let b = CacheKey(kind: "pretrain", codeVersion: 1, parameters: reordered, inputs: [])
        #expect(a == b)
        #expect(a.hex.count == 64)
    }

    @Test func everyIngredientChangesTheKey() {
        let base = CacheKey(kind: "pretrain", codeVersion: 1, parameters: Self.parameters, inputs: [])
        let input = CacheKey(kind: "features", codeVersion: 1, parameters: .null, inputs: [])
        #expect(base != CacheKey(kind: "finetune", codeVersion: 1, parameters: Self.parameters, inputs: []))
        #expect(base != CacheKey(kind: "pretrain", codeVersion: 2, parameters: Self.parameters, inputs: []))
        #expect(base != CacheKey(kind: "pretrain", codeVersion: 1, parameters: .object(["lr": .number(0.001)]), inputs: []))
        #expect(base != CacheKey(kind: "pretrain", codeVersion: 1, parameters: Self.parameters, inputs: [input]))
    }

    @Test func canonicalTextIsSortedCompactAndStable() {
        #expect(Self.parameters.canonicalText == #"{"batch":32,"lr":0.01,"optimizer":"sgd"}"#)
        #expect(CanonicalValue.number(1.0).canonicalText == CanonicalValue.integer(1).canonicalText)
        #expect(CanonicalValue.string("a\"b\n").canonicalText == #""a\"b\n""#)
    }

    @Test func knownDigest() {
        // SHA-256 of the canonical document, checked with `printf '%s' '{...}' | sha256sum`.
        let key = CacheKey(kind: "k", codeVersion: 1, parameters: .null, inputs: [])
        #expect(key.hex == "9658d45dced500cc237db1635061e78f69ecca50f1c331408c85b3f22a5cf442")
    }

    @Test func atomicWriteReplacesWholeFilesAndLeavesNoTemporaries() throws {
        let folder = TemporaryDirectory()
        let path = folder.path("nested/metrics.csv")
        try AtomicFile.write("a,b\n1,2\n", to: path)
        try AtomicFile.write("a,b\n3,4\n", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "a,b\n3,4\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path("nested")) == ["metrics.csv"])
    }
}
