import Testing
@testable import Pipeline

/// Reading Slurm's answers (the end-to-end test against a real cluster is `make test-slurm`).
@Suite struct SlurmClientTests {
    @Test func squeueLinesGiveEachJobsState() {
        let states = SlurmClient.parseQueue("12|RUNNING\n13|PENDING\n14_0|PENDING\n14_1|RUNNING\n")
        #expect(states == ["12": "RUNNING", "13": "PENDING", "14_0": "PENDING", "14_1": "RUNNING"])
        #expect(SlurmClient.parseQueue("").isEmpty)
    }

    @Test func scontrolTextGivesTheStateAndExitCode() {
        let finished = "JobId=21 JobName=speakerlab-report\n   UserId=root(0) GroupId=root(0)\n   JobState=FAILED Reason=NonZeroExitCode Dependency=(null)\n   Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=2:0\n"
        #expect(SlurmClient.parseControl(finished) == .finished("FAILED", exitCode: 2))
        #expect(SlurmClient.parseControl("JobId=3 JobState=PENDING Reason=Dependency ExitCode=0:0") == .active("PENDING"))
        #expect(SlurmClient.parseControl("slurm_load_jobs error: Invalid job id specified") == nil)
    }

    @Test func shellWordsAreQuotedOnlyWhenNeeded() {
        #expect(SlurmExecutor.quote("/work/main/.build/release/speakerlab") == "/work/main/.build/release/speakerlab")
        #expect(SlurmExecutor.quote("finetune.optimizer.lr=0.001") == "finetune.optimizer.lr=0.001")
        #expect(SlurmExecutor.quote("a b") == "'a b'")
        #expect(SlurmExecutor.quote("it's") == "'it'\\''s'")
    }
}
