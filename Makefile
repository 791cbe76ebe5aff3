# SpeakerLab: `make run` (set up, build, quick start) and `make test` (set up, build, tests).
# Every target installs what it needs on a fresh Debian 12 machine (scripts/setup.sh).

SWIFT_BUILD := swift build -c release
SWIFT_TEST  := swift test -c release -Xswiftc -enable-testing
BINARY      := .build/release/speakerlab

.PHONY: setup build run test bench doctor clean

setup:
	@bash scripts/setup.sh

build: setup
	$(SWIFT_BUILD)

run: build
	$(BINARY) run Experiments/quickstart.yaml

doctor: build
	$(BINARY) doctor

test: setup
	$(SWIFT_TEST)

bench: build
	bash Benchmarks/run.sh

clean:
	rm -rf .build
