#!/usr/bin/env bash
# Regenerates Sources/ONNX/onnx.pb.swift, the ONNX model format's protobuf messages for
# swift-protobuf, from the onnx.proto that the `onnx` PyPI package ships. The generated file is
# committed (building swift-protobuf's protoc plugin takes minutes), so only run this to move to
# another ONNX release. Needs protoc (Debian's protobuf-compiler) and pip.
set -euo pipefail
cd "$(dirname "$0")/.."
ONNX_VERSION=1.23.2
PROTOBUF_VERSION=1.39.0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v protoc >/dev/null || apt-get install -y protobuf-compiler
python3 -m pip install --quiet --target "$work/python" "onnx==$ONNX_VERSION"
# swift-protobuf's plugin, at the library version Package.swift names.
git clone --quiet --branch "$PROTOBUF_VERSION" https://github.com/apple/swift-protobuf "$work/swift-protobuf" 2>/dev/null \
  || git clone --quiet --branch "$PROTOBUF_VERSION" /opt/swift-packages/apple/swift-protobuf.git "$work/swift-protobuf"
swift build -c release --package-path "$work/swift-protobuf" --product protoc-gen-swift
# The messages only: comments are dropped, so none of the ONNX project's prose is copied.
sed -e 's://.*$::' "$work/python/onnx/onnx.proto" > "$work/onnx.proto"
protoc --plugin=protoc-gen-swift="$work/swift-protobuf/.build/release/protoc-gen-swift" \
  --swift_opt=Visibility=Public --swift_out="$work" --proto_path="$work" "$work/onnx.proto"
mkdir -p Sources/ONNX
cp "$work/onnx.pb.swift" Sources/ONNX/onnx.pb.swift
echo "wrote Sources/ONNX/onnx.pb.swift (onnx $ONNX_VERSION, swift-protobuf $PROTOBUF_VERSION)"
