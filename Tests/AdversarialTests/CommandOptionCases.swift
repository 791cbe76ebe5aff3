import Foundation
import Testing
import TestSupport

/// Category "command-line options": values out of range given to the tool's other commands
/// (front-end export, corpus synthesis, model summaries); each is refused with the range before
/// any file is read or written, where a negative length or a zero thread count used to crash or
/// a huge count used to write without end.
@Suite struct CommandOptionCases {
    static let cases: [(arguments: [String], message: String)] = [
        (["audio", "features", "a.wav", "--out", "features", "--seconds=-1"], "--seconds must be in 0.1…60; got -1.0"),
        (["audio", "features", "a.wav", "--out", "features", "--seconds=0"], "--seconds must be in 0.1…60; got 0.0"),
        (["audio", "features", "a.wav", "--out", "features", "--seconds=nan"], "--seconds must be in 0.1…60"),
        (["audio", "features", "a.wav", "--out", "features", "--bands=0"], "--bands must be in 4…512; got 0"),
        (["audio", "features", "a.wav", "--out", "features", "--rate=0"], "--rate must be in 4000…192000; got 0"),
        (["audio", "features", "a.wav", "--out", "features", "--threads=0"], "--threads must be in 1…4096; got 0"),
        (["audio", "features", "a.wav", "--out", "features", "--kind=plp"], "unknown --kind 'plp'"),
        (["audio", "features", "a.wav", "--out", "features", "--vad=webrtc"], "unknown --vad 'webrtc'"),
        (["audio", "inspect", "a.wav", "--out", "plots", "--bands=100000"], "--bands must be in 4…512"),
        (["audio", "features", "absent.wav", "--out", "features"], "absent.wav: error: no such file"),
        (["dataset", "synthesize", "corpus", "--speakers", "100000000"], "--speakers must be in 2…10000; got 100000000"),
        (["dataset", "synthesize", "corpus", "--speakers=-5"], "--speakers must be in 2…10000; got -5"),
        (["dataset", "synthesize", "corpus", "--utterances=0"], "--utterances must be in 1…1000; got 0"),
        (["dataset", "summary", "folders", "absent"], "absent: error: no such folder"),
        (["dataset", "summary", "timit", "a.wav"], "a.wav: error: no such folder"),
        (["model", "summary", "Experiments/models/deepspeaker.yaml", "--width=0"], "the width knob (model.width, --width) must satisfy 0 < width ≤ 16; got 0.0"),
        (["model", "summary", "Experiments/models/deepspeaker.yaml", "--width=nan"], "must satisfy 0 < width ≤ 16; got nan"),
        (["model", "summary", "Experiments/models/deepspeaker.yaml", "--blocks", "0,0"], "model.blocks gives this repeat 0 copies"),
        (["model", "summary", "Experiments/models/deepspeaker.yaml", "--input", "0x40x1"], "--input"),
        (["model", "summary", "Experiments/models/deepspeaker.yaml", "--input", "100000x100000x1"], "values per example, over the limit"),
        (["model", "summary", "absent.yaml"], "absent.yaml: error: no model graph file here"),
        (["run", "Experiments/quickstart.yaml", "--jobs", "0"], "--jobs must be in 1…256; got 0"),
        (["run", "Experiments/quickstart.yaml", "--threads", "99999"], "--threads must be in 1…4096"),
        (["run", "Experiments/quickstart.yaml", "--poll", "0", "--executor", "slurm"], "--poll must be in (0, 3600] seconds"),
        (["run", "Experiments/quickstart.yaml", "--cpus", "100000", "--executor", "slurm"], "--cpus must be in 0…4096"),
        (["table", Fixtures.repositoryRoot.appendingPathComponent("Results").path, "--by", "nonsense"], "--by 'nonsense': no run's spec has this key"),
    ]

    @Test(arguments: cases)
    func anOptionOutOfRangeIsRefusedBeforeAnyWrite(arguments: [String], message: String) throws {
        let sandbox = try Sandbox()
        try sandbox.write("not audio", to: "a.wav")
        let outcome = try sandbox.run(arguments)
        #expect(outcome.status != 0, "accepted: \(outcome.output)")
        expect(outcome, status: outcome.status, contains: [message])
    }
}
