"""Writes a held-out speaker corpus of synthesised speech, harder than SpeakerLab's built-in
synthetic corpus: every speaker is an espeak-ng voice of its own (vocal-tract length, formant
heights and widths, pitch, voice quality, accent, speaking rate), every utterance a different
random sentence read with its own rate and pitch, through its own channel (band limits and an
equaliser), sometimes a room, and noise at a random SNR (white, pink, or babble of other
speakers). Nothing is downloaded: the voices are espeak-ng's formant synthesiser (Debian's
`espeak-ng`) with voice variants this script writes, the sentences come from the word lists
below. The same seed gives the same files.

Layout: OUT/<speaker>/<utterance>.wav (16 kHz, 16-bit), what `dataset.kind: folders` reads:

    speakerlab run Experiments/mfcc-baseline.yaml --set dataset.kind=folders --set dataset.root=OUT

Run: apt-get install espeak-ng; pip install numpy scipy
     python3 scripts/corpora/synthesise_speech_corpus.py OUT [--speakers 64] [--utterances 12] [--seed 1]
"""
import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import wave

import numpy as np
import scipy.signal

RATE = 16000

# Word lists for random sentences (text-independent: no two utterances need share a sentence).
SUBJECTS = ["the farmer", "a small child", "the old teacher", "my neighbour", "the driver", "a tired nurse", "the captain",
            "our manager", "the baker", "a quiet student", "the painter", "her brother", "the mayor", "a young doctor",
            "the fisherman", "his cousin", "the pilot", "a clever girl", "the gardener", "the singer"]
VERBS = ["carried", "painted", "found", "sold", "opened", "repaired", "watched", "counted", "moved", "cleaned", "borrowed",
         "ordered", "described", "followed", "measured", "wrapped", "noticed", "collected", "forgot", "delivered"]
OBJECTS = ["a heavy box", "the green door", "seven apples", "an empty bottle", "the broken clock", "a long letter",
           "the wooden chair", "two silver coins", "a yellow kite", "the narrow bridge", "a basket of bread",
           "the metal gate", "four paper bags", "a warm blanket", "the kitchen window", "a bundle of sticks"]
PLACES = ["near the river", "behind the station", "in the garden", "at the market", "on the hill", "by the harbour",
          "under the old tree", "across the square", "inside the barn", "along the canal", "at the edge of town",
          "beside the school", "in the village hall", "on the top floor"]
TIMES = ["early this morning", "after lunch", "last winter", "on Tuesday", "before the storm", "late at night",
         "every summer", "during the festival", "two days ago", "at half past nine", "just before dawn"]
CLAUSES = ["because it was raining", "while everyone was asleep", "although nobody asked", "as the bells rang",
           "when the lights went out", "so that the others could rest", "before anyone noticed", "and then went home"]

ACCENTS = ["en-us", "en", "en-gb-scotland", "en-gb-x-rp", "en-gb-x-gbclan", "en-029", "en-gb-x-gbcwmd"]


def sentence(rng):
    parts = [rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(OBJECTS)]
    if rng.random() < 0.8:
        parts.append(rng.choice(PLACES))
    if rng.random() < 0.6:
        parts.append(rng.choice(TIMES))
    if rng.random() < 0.4:
        parts.append(rng.choice(CLAUSES))
    text = " ".join(parts)
    return text[0].upper() + text[1:] + "."


def voice_variant(rng, name, female):
    """An espeak-ng voice variant: one speaker's vocal tract and voice quality."""
    tract = rng.uniform(0.86, 1.0) if not female else rng.uniform(1.0, 1.16)  # formant scale: vocal-tract length
    base = rng.uniform(75, 135) if not female else rng.uniform(150, 235)
    lines = ["language variant", f"name {name}", f"gender {'female' if female else 'male'}",
             f"pitch {base:.0f} {base * rng.uniform(1.25, 1.7):.0f}"]
    for formant in range(9):
        frequency = 100 * tract * rng.uniform(0.94, 1.06)
        height = rng.uniform(70, 130) if formant < 6 else rng.uniform(20, 100)
        width = rng.uniform(80, 160)
        lines.append(f"formant {formant} {frequency:.0f} {height:.0f} {width:.0f}")
    lines += [f"flutter {rng.integers(0, 25)}", f"roughness {rng.integers(0, 7)}", f"voicing {rng.integers(60, 101)}",
              f"consonants {rng.integers(70, 130)} {rng.integers(60, 130)}",
              "breath " + " ".join(str(rng.integers(0, 4)) for _ in range(8)),
              f"tone 600 {rng.integers(150, 256)} 1200 {rng.integers(100, 256)} 2500 {rng.integers(40, 256)} 4000 {rng.integers(10, 200)}",
              f"intonation {rng.integers(1, 5)}"]
    if rng.random() < 0.35:
        lines.append(f"klatt {rng.integers(1, 4)}")
    return "\n".join(lines) + "\n"


def synthesise(espeak_root, voice, text, speed, pitch, path):
    subprocess.run(["espeak-ng", f"--path={espeak_root}", "-v", voice, "-s", str(speed), "-p", str(pitch), "-a", "120",
                    "-w", path, text], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    with wave.open(path, "rb") as handle:
        rate = handle.getframerate()
        samples = np.frombuffer(handle.readframes(handle.getnframes()), dtype=np.int16).astype(np.float64) / 32768
    if rate != RATE:
        divisor = np.gcd(RATE, rate)
        samples = scipy.signal.resample_poly(samples, RATE // divisor, rate // divisor)
    return samples


def pink_noise(rng, count):
    spectrum = np.fft.rfft(rng.normal(size=count))
    spectrum /= np.sqrt(np.maximum(np.arange(len(spectrum)), 1))
    return np.fft.irfft(spectrum, count)


def channel(rng, samples, notes):
    """One session's channel: band limits, two equaliser peaks, sometimes a small room."""
    low = rng.uniform(60, 300)
    high = rng.uniform(3200, 7600)
    notes.update(band=f"{low:.0f}-{high:.0f}", room="")
    b, a = scipy.signal.butter(4, [low, high], "bandpass", fs=RATE)
    out = scipy.signal.lfilter(b, a, samples)
    for _ in range(2):
        b, a = scipy.signal.iirpeak(rng.uniform(300, 3500), rng.uniform(1, 4), fs=RATE)
        out = out + rng.uniform(-0.5, 0.8) * scipy.signal.lfilter(b, a, out)
    if rng.random() < 0.4:
        # A room: exponentially decaying noise after the direct path (RT60 0.15–0.6 s).
        rt60 = rng.uniform(0.15, 0.6)
        notes["room"] = f"{rt60:.2f}"
        length = int(rt60 * RATE)
        tail = rng.normal(size=length) * np.exp(-6.9 * np.arange(length) / length)
        response = np.concatenate([[1.0], np.zeros(int(rng.uniform(0.002, 0.01) * RATE)), 0.3 * tail / np.sqrt(np.sum(tail ** 2))])
        out = scipy.signal.fftconvolve(out, response)[: len(out)]
    return out


def add_noise(rng, samples, babble_pool, notes):
    kind = rng.choice(["white", "pink", "babble"])
    if kind == "babble" and babble_pool:
        noise = np.zeros(len(samples))
        for index in rng.choice(len(babble_pool), size=min(3, len(babble_pool)), replace=False):
            other = babble_pool[index]
            start = rng.integers(0, max(1, len(other) - len(samples)))
            piece = other[start:start + len(samples)]
            noise[: len(piece)] += piece
    elif kind == "pink":
        noise = pink_noise(rng, len(samples))
    else:
        noise = rng.normal(size=len(samples))
    snr = rng.uniform(6, 30)
    notes.update(noise=kind if kind != "babble" or babble_pool else "white", snr=f"{snr:.1f}")
    signal_power = np.mean(samples ** 2) + 1e-12
    noise_power = np.mean(noise ** 2) + 1e-12
    return samples + noise * np.sqrt(signal_power / noise_power / 10 ** (snr / 10))


def write(path, samples, rng):
    peak = np.max(np.abs(samples)) + 1e-12
    level = 10 ** (rng.uniform(-12, -1) / 20)  # a recording level of its own
    pcm = np.clip(np.round(samples / peak * level * 32767), -32768, 32767).astype(np.int16)
    with wave.open(path, "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(RATE)
        handle.writeframes(pcm.tobytes())


def espeak_data():
    for candidate in ["/usr/lib/x86_64-linux-gnu/espeak-ng-data", "/usr/share/espeak-ng-data", "/usr/lib/espeak-ng-data"]:
        if os.path.isdir(candidate):
            return candidate
    sys.exit("error: espeak-ng's data folder was not found; install it with apt-get install espeak-ng")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out")
    parser.add_argument("--speakers", type=int, default=64)
    parser.add_argument("--utterances", type=int, default=12)
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    if shutil.which("espeak-ng") is None:
        sys.exit("error: espeak-ng is not installed; apt-get install espeak-ng")
    rng = np.random.default_rng(arguments.seed)
    os.makedirs(arguments.out, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        # A private copy of espeak-ng's data with this corpus's voice variants in voices/!v.
        root = os.path.join(scratch, "espeak")
        shutil.copytree(espeak_data(), os.path.join(root, "espeak-ng-data"))
        variants = os.path.join(root, "espeak-ng-data", "voices", "!v")
        os.makedirs(variants, exist_ok=True)
        clean = []  # clean utterances of earlier speakers, for babble
        rows = []   # what made each file, for corpus.csv
        for speaker_index in range(arguments.speakers):
            female = speaker_index % 2 == 1
            speaker = f"s{speaker_index:03d}{'f' if female else 'm'}"
            variant = f"sl{speaker}"
            with open(os.path.join(variants, variant), "w") as handle:
                handle.write(voice_variant(rng, variant, female))
            accent = rng.choice(ACCENTS)
            if speaker_index == 0:
                # espeak-ng falls back silently on a variant it cannot find: check that ours is read.
                probe = [synthesise(root, voice, "A probe sentence.", 160, 50, os.path.join(scratch, "probe.wav"))
                         for voice in (accent, f"{accent}+{variant}")]
                if len(probe[0]) == len(probe[1]) and np.array_equal(probe[0], probe[1]):
                    sys.exit(f"error: espeak-ng ignored the voice variant in {variants}")
            rate = rng.uniform(130, 195)
            folder = os.path.join(arguments.out, speaker)
            os.makedirs(folder, exist_ok=True)
            for utterance in range(arguments.utterances):
                text = sentence(rng)
                speed, pitch = int(rate * rng.uniform(0.9, 1.1)), int(np.clip(50 + rng.normal(0, 12), 10, 90))
                raw = synthesise(root, f"{accent}+{variant}", text, speed, pitch, os.path.join(scratch, "raw.wav"))
                notes = {"speaker": speaker, "utterance": f"u{utterance:02d}", "accent": accent, "speed": speed, "pitch": pitch, "text": text}
                # Silence before and after, as a recording has (the channel's noise fills it).
                lead, trail = (np.zeros(int(rng.uniform(0.3, 1.0) * RATE)) for _ in range(2))
                raw = np.concatenate([lead, raw, trail])
                if utterance < 2:
                    clean.append(raw)
                noisy = add_noise(rng, channel(rng, raw, notes), clean[:-2] if len(clean) > 2 else [], notes)
                rows.append(notes)
                write(os.path.join(folder, f"u{utterance:02d}.wav"), noisy, rng)
            print(f"{speaker}: {arguments.utterances} utterances ({accent}, {rate:.0f} wpm)", flush=True)
    # What made each file (beside the speaker folders, so the corpus reader ignores it).
    columns = ["speaker", "utterance", "accent", "speed", "pitch", "band", "room", "noise", "snr", "text"]
    with open(os.path.join(arguments.out, "corpus.csv"), "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows([row[column] for column in columns] for row in rows)
    print(f"wrote {arguments.speakers} speakers to {arguments.out}")


if __name__ == "__main__":
    main()
