import Foundation

/// Writes float32 `.npy` files (NumPy format 1.0) so features load with `numpy.load`.
public enum NumpyArrayFile {
    /// The bytes of a little-endian float32 C-order array of the given shape.
    public static func encode(_ values: [Float], shape: [Int]) -> Data {
        precondition(shape.reduce(1, *) == values.count, "shape \(shape) does not hold \(values.count) values")
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': \(shapeText), }"
        // Magic (6) + version (2) + header length (2) + header, padded with spaces to a multiple of 64, ending in \n.
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = UInt16(header.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xff), UInt8(length >> 8)])
        data.append(contentsOf: Array(header.utf8))
        values.withUnsafeBufferPointer { buffer in
            data.append(contentsOf: UnsafeRawBufferPointer(buffer))  // x86-64 and arm64 are little-endian
        }
        return data
    }

    /// Reads back a float32 `.npy` written by `encode` (or NumPy): the shape and the values.
    public static func decode(_ data: Data) throws -> (shape: [Int], values: [Float]) {
        let bytes = [UInt8](data)
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1..<6]) == Array("NUMPY".utf8) else {
            throw AudioError(path: "<npy>", reason: "not a .npy file")
        }
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        // Every length is checked against the bytes present: a file cut in its header or its data is refused, never read past.
        guard bytes.count >= 10 + headerLength else {
            throw AudioError(path: "<npy>", reason: "the header says \(headerLength) bytes and the file holds \(bytes.count - 10) after the preamble; the file is cut short")
        }
        let header = String(decoding: bytes[10..<(10 + headerLength)], as: UTF8.self)
        guard header.contains("'<f4'"), header.contains("'fortran_order': False"),
              let open = header.range(of: "'shape': ("), let close = header[open.upperBound...].firstIndex(of: ")") else {
            throw AudioError(path: "<npy>", reason: "only little-endian float32 C-order arrays are supported")
        }
        let parts = header[open.upperBound..<close].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let shape = parts.compactMap { Int($0) }
        guard shape.count == parts.count, shape.allSatisfy({ $0 >= 0 }) else {
            throw AudioError(path: "<npy>", reason: "the shape (\(parts.joined(separator: ", "))) is not a list of sizes")
        }
        let (expected, overflow) = shape.reduce((1, false)) { result, size in
            let (product, overflowed) = result.0.multipliedReportingOverflow(by: size)
            return (product, result.1 || overflowed)
        }
        let start = 10 + headerLength
        guard !overflow, (bytes.count - start) == expected * 4 else {
            throw AudioError(path: "<npy>", reason: "the shape \(shape) needs \(overflow ? "more than memory holds" : String(expected * 4) + " bytes") of data and the file holds \(bytes.count - start); the file is damaged")
        }
        var values = [Float](repeating: 0, count: expected)
        values.withUnsafeMutableBytes { $0.copyBytes(from: bytes[start..<(start + expected * 4)]) }
        return (shape, values)
    }
}
