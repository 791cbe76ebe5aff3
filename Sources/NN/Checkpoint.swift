import Foundation
import Tensor

/// Checkpoints in the safetensors format: an 8-byte little-endian header length, a JSON header
/// mapping each name to its dtype, shape and byte offsets, then the raw little-endian data.
/// A model trained here opens in Python with `safetensors.numpy.load_file`.
public enum Checkpoint {
    /// A checkpoint that cannot be read, with the path and the reason.
    public struct ReadError: Error, CustomStringConvertible {
        public let description: String
    }

    /// The bytes of a safetensors file holding `tensors` (names must be unique) and string metadata.
    public static func encode(_ tensors: [(name: String, tensor: Tensor)], metadata: [String: String] = [:]) -> Data {
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var offset = 0
        for (name, tensor) in tensors {
            precondition(header[name] == nil, "duplicate tensor name '\(name)'")
            header[name] = ["dtype": "F32", "shape": tensor.shape, "data_offsets": [offset, offset + tensor.count * 4]]
            offset += tensor.count * 4
        }
        var json = try! JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        while json.count % 8 != 0 { json.append(0x20) }  // pad with spaces to an 8-byte boundary
        var data = Data()
        var length = UInt64(json.count).littleEndian
        withUnsafeBytes(of: &length) { data.append(contentsOf: $0) }
        data.append(json)
        for (_, tensor) in tensors {
            tensor.scalars.withUnsafeBufferPointer { data.append(contentsOf: UnsafeRawBufferPointer($0)) }
        }
        return data
    }

    /// Reads every F32 tensor and the metadata of a safetensors file.
    public static func decode(_ data: Data, path: String = "<checkpoint>") throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        guard data.count >= 8 else { throw ReadError(description: "\(path): error: too short to be a safetensors file") }
        let length = Int(data.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }.littleEndian)
        guard length > 0, 8 + length <= data.count,
              let header = try? JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + length))) as? [String: Any] else {
            throw ReadError(description: "\(path): error: the safetensors header is missing or not JSON")
        }
        let body = data.subdata(in: (8 + length)..<data.count)
        var tensors: [String: Tensor] = [:]
        var metadata: [String: String] = [:]
        for (name, value) in header {
            if name == "__metadata__" { metadata = value as? [String: String] ?? [:]; continue }
            guard let entry = value as? [String: Any], entry["dtype"] as? String == "F32",
                  let shape = entry["shape"] as? [Int], let offsets = entry["data_offsets"] as? [Int], offsets.count == 2,
                  offsets[0] >= 0, offsets[1] <= body.count, offsets[1] - offsets[0] == Tensor.elementCount(shape) * 4 else {
                throw ReadError(description: "\(path): error: tensor '\(name)' is not a well-formed F32 entry")
            }
            var scalars = [Float](repeating: 0, count: Tensor.elementCount(shape))
            scalars.withUnsafeMutableBytes { $0.copyBytes(from: body[offsets[0]..<offsets[1]]) }
            tensors[name] = Tensor(shape: shape, scalars: scalars)
        }
        return (tensors, metadata)
    }
}
