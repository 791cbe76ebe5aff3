#!/usr/bin/env bash
# Installs the Debian packages SpeakerLab builds against, if any are missing.
# As root it installs them; otherwise it prints the exact command to run and fails.
set -euo pipefail

packages=(pkg-config libsndfile1-dev libfftw3-dev libopenblas-dev libsoxr-dev libssl-dev libyaml-dev librsvg2-bin "$@")
missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if ! command -v swift >/dev/null 2>&1; then
    echo "error: the Swift toolchain (6.0 or later) is not on PATH; install it from swift.org and retry." >&2
    exit 1
fi

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    echo "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
    echo "error: missing packages: ${missing[*]}" >&2
    echo "fix: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi
