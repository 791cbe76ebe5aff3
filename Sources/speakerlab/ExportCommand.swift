import ArgumentParser
import Foundation
import Pipeline
import Stages

/// `speakerlab export RUN --onnx model.onnx`.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a trained run's embedding network as ONNX (opset 18), its front end described in the model's metadata."
    )

    @OptionGroup var folder: RunFolderOptions
    @OptionGroup var checkpoint: CheckpointOption

    @Option(help: "The ONNX file to write.")
    var onnx: String

    func run() throws {
        do {
            let bytes = try ModelExport.onnx(folder.open(), to: URL(fileURLWithPath: onnx), checkpoint: checkpoint.checkpoint)
            print("wrote \(onnx) (\(bytes) bytes)")
        } catch let error as PipelineError {
            printError("error: \(error)")
            throw ExitCode(2)
        }
    }
}
