"""The peers' side of the feature benchmark: python_speech_features 0.6 logfbank and librosa
log-mel on the same WAV files, one process or a pool of all cores. Prints utterances_per_second=V."""
import glob
import multiprocessing
import sys
import time

import numpy as np
import scipy.io.wavfile


def psf_one(path):
    from python_speech_features import logfbank
    _, samples = scipy.io.wavfile.read(path)
    return logfbank(samples, samplerate=16000, nfilt=40).shape


def librosa_one(path):
    import librosa
    _, samples = scipy.io.wavfile.read(path)
    y = samples.astype(np.float32) / 32768
    mel = librosa.feature.melspectrogram(y=y, sr=16000, n_fft=512, hop_length=160, win_length=400, n_mels=40)
    return np.log(mel + 1e-6).shape


def main():
    folder, peer, processes = sys.argv[1], sys.argv[2], int(sys.argv[3])
    paths = sorted(glob.glob(folder + "/*.wav"))
    work = {"psf": psf_one, "librosa": librosa_one}[peer]
    for path in paths[:4]:
        work(path)  # warm-up: imports, caches
    best = float("inf")
    pool = multiprocessing.Pool(processes) if processes > 1 else None
    if pool:
        pool.map(work, paths[: processes * 2])
    for _ in range(3):
        start = time.perf_counter()
        if pool:
            pool.map(work, paths, chunksize=4)
        else:
            for path in paths:
                work(path)
        best = min(best, time.perf_counter() - start)
    if pool:
        pool.close()
    print(f"utterances_per_second={len(paths) / best:.1f}")


if __name__ == "__main__":
    main()
