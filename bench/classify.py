"""Print how fast the complaint classifier loads and classifies, and how well it does on the held-out split.

Usage: .venv/bin/python bench/classify.py [--repeat N] [--sastrawi]
Times are wall-clock on this machine: training the shipped model, storing and loading it, and one
complaint at a time after load (what intake does). ``--sastrawi`` also trains with Sastrawi stemming
of the word features (needs ``pip install Sastrawi``) to compare its held-out figures and cost.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from helpdesk.classify.data import shipped_heldout, shipped_training  # noqa: E402
from helpdesk.classify.evaluate import evaluate, render  # noqa: E402
from helpdesk.classify.model import Classifier  # noqa: E402
from helpdesk.classify.similar import rank_similar  # noqa: E402

THRESHOLD = 0.7  # the default HELPDESK_CLASSIFIER_MIN_CONFIDENCE


def per_complaint(model: Classifier, texts: list[str], repeat: int) -> list[float]:
    """Milliseconds for each single-complaint proposal, as at intake."""
    for text in texts[:10]:  # warm caches
        model.propose(text)
    times = []
    for _ in range(repeat):
        for text in texts:
            start = time.perf_counter()
            model.propose(text)
            times.append((time.perf_counter() - start) * 1000)
    return times


def line(name: str, times: list[float], unit: str = "complaints") -> str:
    ordered = sorted(times)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    return (f"{name}: mean {statistics.fmean(times):.2f} ms, median {statistics.median(times):.2f} ms, "
            f"p95 {p95:.2f} ms, max {ordered[-1]:.2f} ms over {len(times)} {unit}")


def main(repeat: int, sastrawi: bool) -> None:
    train, heldout = list(shipped_training()), list(shipped_heldout())
    texts = [e.text for e in heldout]
    start = time.perf_counter()
    model = Classifier(train)
    print(f"train the shipped model: {time.perf_counter() - start:.2f} s ({len(train)} complaints)")
    start = time.perf_counter()
    blob = model.dumps()
    print(f"store (pickle + compress): {(time.perf_counter() - start) * 1000:.0f} ms, {len(blob) / 1e6:.2f} MB")
    start = time.perf_counter()
    model = Classifier.loads(blob)
    print(f"load a stored model: {(time.perf_counter() - start) * 1000:.1f} ms")
    print(line("classify one complaint after load", per_complaint(model, texts, repeat)))
    start = time.perf_counter()
    model.propose_many(texts)
    print(f"classify {len(texts)} complaints in one batch: "
          f"{(time.perf_counter() - start) * 1000 / len(texts):.2f} ms each")
    candidates = list(enumerate(e.text for e in (train + heldout)[:300]))
    times = []
    for text in texts[:30]:
        start = time.perf_counter()
        rank_similar(text, candidates)
        times.append((time.perf_counter() - start) * 1000)
    print(line(f"similar-text search among {len(candidates)} complaints (ticket page)", times, "searches"))
    print()
    print(render(evaluate(model, heldout, threshold=THRESHOLD)))
    if sastrawi:
        compare_sastrawi(train, heldout, texts)


def compare_sastrawi(train, heldout, texts) -> None:
    try:
        from Sastrawi.Stemmer.StemmerFactory import StemmerFactory
    except ImportError:
        print("\nSastrawi: not installed (pip install Sastrawi==1.0.1 to compare)")
        return
    stemmer = StemmerFactory().create_stemmer()
    start = time.perf_counter()
    stemmed = Classifier(train, stem=stemmer.stem)
    trained = time.perf_counter() - start
    fresh = StemmerFactory().create_stemmer()  # a new process: the stemmer's word cache is empty
    cold = Classifier.__new__(Classifier)
    cold.__dict__.update(stemmed.__dict__, stem=fresh.stem)
    cold_times = per_complaint(cold, texts[10:], 1)
    report = evaluate(stemmed, heldout, threshold=THRESHOLD)
    print(f"\nwith Sastrawi stemming of the word features: train {trained:.1f} s")
    print(line("classify one complaint, stemmer cache cold", cold_times))
    print(line("classify one complaint, stemmer cache warm", per_complaint(stemmed, texts, 1)))
    print(f"accuracy={report.accuracy:.4f} macro_f1={report.macro_f1:.4f} (held-out, with Sastrawi)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="passes over the held-out complaints")
    parser.add_argument("--sastrawi", action="store_true", help="also compare with Sastrawi stemming")
    args = parser.parse_args()
    main(args.repeat, args.sastrawi)
