# SpeakerLab: `make run` (set up, build, quick start) and `make test` (set up, build, tests).
# Every target installs what it needs on a fresh Debian 12 machine (scripts/setup.sh).

SWIFT_BUILD    := swift build -c release
SWIFT_TEST     := swift test -c release -Xswiftc -enable-testing
# The same flags as the test build, so building the CLI after `swift test` reuses its objects.
SWIFT_TESTABLE := swift build -c release -Xswiftc -enable-testing
BINARY         := .build/release/speakerlab

# The README's results table: the synthetic-corpus runs committed under Results/.
SYNTHETIC_SPECS := Experiments/baseline.yaml Experiments/quickstart.yaml Experiments/synthetic/se-resnet.yaml \
                   Experiments/synthetic/attdcnn.yaml Experiments/synthetic/vggvox-resnet34.yaml Experiments/synthetic/modern.yaml
README_TABLE    := Results/baseline Results/quickstart Results/synthetic-se-resnet Results/synthetic-attdcnn \
                   Results/synthetic-vggvox-resnet34 Results/synthetic-modern \
                   --by run --by model --metrics eer,min_dcf_p0.01,eer_seed,si_top1

.PHONY: setup build run test test-slurm table results bench doctor clean

setup:
	@bash scripts/setup.sh

build: setup
	$(SWIFT_BUILD)

run: build
	$(BINARY) run Experiments/quickstart.yaml

doctor: build
	$(BINARY) doctor

# Unit, parity and end-to-end tests, then the README's results table against Results/.
test: setup
	$(SWIFT_TEST)
	$(SWIFT_TESTABLE) --product speakerlab
	$(BINARY) table $(README_TABLE) --check README.md

# A one-node Slurm cluster on this machine (needs root): kill, re-attach, --retry, job arrays.
test-slurm: setup
	$(SWIFT_TESTABLE) --product speakerlab
	bash scripts/slurm/test-slurm.sh

# Prints the README's results table.
table: build
	$(BINARY) table $(README_TABLE)

# Recomputes (or finds cached) every run the README table is made from.
results: build
	for spec in $(SYNTHETIC_SPECS); do $(BINARY) run $$spec || exit 1; done

bench: build
	bash Benchmarks/run.sh

clean:
	rm -rf .build
