# SpeakerLab: `make run` (set up, build, quick start) and `make test` (set up, build, tests).
# Every target installs what it needs on a fresh Debian 12 machine (scripts/setup.sh).

# One build configuration for every target, so that after any of `make run`, `make test`,
# `make bench`, `make test-slurm` or `.ci/run` the others build nothing they already have:
# - `-c release`: the engine is only fast optimised, and the tests run what users run.
# - `-Xswiftc -enable-testing`: the tests' `@testable import`s need it; giving it to every build,
#   not only the tests', is what lets them share objects (a flag that differs rebuilds all 400).
#   It keeps internal symbols visible to the test modules; it costs the engine nothing measurable
#   (README, Benchmarks).
# Package-specific flags (AVX2 + FMA code generation, -Ounchecked in the kernels) are in Package.swift.
SWIFT_FLAGS := -c release -Xswiftc -enable-testing
BINARY      := .build/release/speakerlab
PHASE       := bash scripts/phase.sh

# The README's results tables: the synthetic-corpus runs committed under Results/. The model
# comparison scores 48 held-out speakers (16,128 trials); the quick start is its own, small table.
SYNTHETIC_SPECS := Experiments/baseline.yaml Experiments/mfcc-baseline.yaml Experiments/quickstart.yaml Experiments/synthetic/deepspeaker.yaml \
                   Experiments/synthetic/se-resnet.yaml Experiments/synthetic/attdcnn.yaml \
                   Experiments/synthetic/vggvox-resnet34.yaml Experiments/synthetic/modern.yaml \
                   Experiments/after-training/other-speakers.yaml Experiments/after-training/other-speakers-5-epochs.yaml \
                   Experiments/after-training/init-from-quickstart.yaml
COMPARISON_TABLE := Results/baseline Results/mfcc-baseline Results/synthetic-deepspeaker Results/synthetic-se-resnet Results/synthetic-attdcnn \
                    Results/synthetic-vggvox-resnet34 Results/synthetic-modern --by run --by model --metrics eer,min_dcf_p0.01,si_top1
QUICKSTART_TABLE := Results/quickstart --by run --by model --metrics eer,min_dcf_p0.01,eer_seed,si_top1
# init_from (README, After training): the quick start's model started on other speakers.
INIT_FROM_TABLE := Results/other-speakers-scratch Results/other-speakers-scratch-5epochs Results/other-speakers-from-quickstart \
                   --by run --by pretrain.epochs --by pretrain.init_from --metrics eer,auc,min_dcf_p0.01,si_top1

# The held-out corpus (README, *A harder held-out corpus*): synthesised by a committed script, never downloaded.
HELD_OUT_CORPUS := Results/.corpora/espeak
HELD_OUT_SPECS  := Experiments/held-out/baseline.yaml Experiments/held-out/mfcc-baseline.yaml Experiments/held-out/deepspeaker.yaml \
                   Experiments/held-out/se-resnet.yaml Experiments/held-out/modern.yaml Experiments/held-out/recommended.yaml \
                   $(wildcard Experiments/held-out/ablation/*.yaml)
HELD_OUT_TABLE  := Results/espeak-baseline Results/espeak-mfcc-baseline Results/espeak-deepspeaker Results/espeak-se-resnet Results/espeak-modern \
                   --by run --by model --metrics eer,auc,min_dcf_p0.01,si_top1
# The recommended recipe (README, *The recommended recipe*) against both baselines, and its ablation.
RECOMMENDED_TABLE := Results/espeak-mfcc-baseline Results/espeak-baseline Results/espeak-recommended --by run --by model --metrics eer,si_top1,si_top5
ABLATION_TABLE    := Results/espeak-recommended $(addprefix Results/espeak-recommended-,no-speed no-noise-reverb no-masks fixed-crop no-augment \
                     loss-selection cut-evaluation no-score-norm no-standardise) --by run --metrics eer,min_dcf_p0.01,si_top1

.PHONY: setup build run test test-slurm test-onnx table results held-out bench doctor clean

setup:
	@$(PHASE) "installing missing packages" bash scripts/setup.sh

# Every product (the tool and the benchmarks); the tests add only their own modules.
build: setup
	@$(PHASE) "building (release)" swift build $(SWIFT_FLAGS)

run: build
	@$(PHASE) "running the quick start" $(BINARY) run Experiments/quickstart.yaml

doctor: build
	$(BINARY) doctor

# Unit, parity and end-to-end tests, then the README's results table against Results/.
test: build
	@$(PHASE) "building the tests" swift build $(SWIFT_FLAGS) --build-tests
	@$(PHASE) "running the tests" swift test $(SWIFT_FLAGS) --skip-build
	@$(PHASE) "checking the import rule" bash scripts/check-imports.sh
	@$(PHASE) "checking the README tables" sh -c '$(BINARY) table $(COMPARISON_TABLE) --check README.md && $(BINARY) table $(QUICKSTART_TABLE) --check README.md && $(BINARY) table $(INIT_FROM_TABLE) --check README.md && $(BINARY) table $(HELD_OUT_TABLE) --check README.md && $(BINARY) table $(RECOMMENDED_TABLE) --check README.md && $(BINARY) table $(ABLATION_TABLE) --check README.md'

# A one-node Slurm cluster on this machine (needs root): kill, re-attach, --retry, job arrays.
test-slurm: build
	bash scripts/slurm/test-slurm.sh

# `speakerlab export` against onnxruntime (installed by the script with pip; never a test dependency).
test-onnx: build
	@$(PHASE) "checking the ONNX export against onnxruntime" python3 scripts/check_onnx_export.py --speakerlab $(BINARY)

# Prints the README's results tables (each metric with its 95 % interval).
table: build
	@$(BINARY) table $(COMPARISON_TABLE)
	@echo
	@$(BINARY) table $(QUICKSTART_TABLE)
	@echo
	@$(BINARY) table $(INIT_FROM_TABLE)
	@echo
	@$(BINARY) table $(HELD_OUT_TABLE)
	@echo
	@$(BINARY) table $(RECOMMENDED_TABLE)
	@echo
	@$(BINARY) table $(ABLATION_TABLE)

# Recomputes (or finds cached) every run the README table is made from.
results: build
	for spec in $(SYNTHETIC_SPECS); do $(BINARY) run $$spec || exit 1; done

# Writes the held-out corpus once (espeak-ng from Debian, numpy and scipy from PyPI), then runs its specs.
held-out: build
	@command -v espeak-ng >/dev/null || apt-get install -y -q espeak-ng
	@python3 -c "import numpy, scipy" 2>/dev/null || python3 -m pip install -q numpy scipy
	@test -d $(HELD_OUT_CORPUS) || { python3 scripts/corpora/synthesise_speech_corpus.py $(HELD_OUT_CORPUS).partial && mv $(HELD_OUT_CORPUS).partial $(HELD_OUT_CORPUS); }
	for spec in $(HELD_OUT_SPECS); do $(BINARY) run $$spec || exit 1; done

bench: build
	bash Benchmarks/run.sh

clean:
	rm -rf .build
