"""Earlier complaints on the same matter: ranking texts by their likeness to one complaint.

Pure: no Flask. Word and word-pair TF-IDF over the candidates themselves, so the words that
are rare in this office's own complaints (a company, a product, a place) weigh most.

Plain Python, no scikit-learn: the ticket page asks for this in every web process, and the
library costs ~80 MB there (prediction does without it too, see ``features``). The numbers are
those of ``TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, stop_words=STOP_WORDS,
token_pattern=TOKEN)``: stop words dropped before the pairs are formed, smooth idf
``ln((1 + n) / (1 + df)) + 1``, tf ``1 + ln(count)``, rows of unit length;
``tests/unit/test_classify_text.py`` checks them against the library.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from typing import Sequence

from helpdesk.classify.normalise import READ_CHARS, STOP_WORDS, normalise

MIN_SIMILARITY = 0.25  # cosine; below it two complaints share only everyday words
TOKEN = re.compile(r"(?u)\b\w\w\w+\b")  # words of three letters or more


def terms(text: str) -> Counter:
    """How often each word and each pair of neighbouring words (stop words left out) occurs."""
    words = [w for w in TOKEN.findall(text.lower()) if w not in STOP_WORDS]
    return Counter(words + [f"{a} {b}" for a, b in zip(words, words[1:])])


def tfidf(counts: Sequence[Counter]) -> list[dict[str, float]]:
    """Unit-length TF-IDF vectors of the texts, with the idf of the texts themselves."""
    df = Counter(term for row in counts for term in row)
    n = len(counts)
    idf = {term: math.log((1 + n) / (1 + d)) + 1 for term, d in df.items()}
    vectors = []
    for row in counts:
        vector = {term: (1 + math.log(c)) * idf[term] for term, c in row.items()}
        length = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        vectors.append({term: v / length for term, v in vector.items()})
    return vectors


def rank_similar(text: str, candidates: Sequence[tuple[int, str]], *, limit: int = 5,
                 minimum: float = MIN_SIMILARITY) -> list[tuple[int, float]]:
    """(candidate id, similarity) of the candidates most like ``text``, most similar first."""
    query = normalise(text[:READ_CHARS])
    docs = [normalise(t[:READ_CHARS]) for _, t in candidates]
    if not query or not any(docs):
        return []
    counts = [terms(query), *(terms(d) for d in docs)]
    if not counts[0]:  # nothing but stop words: like nothing
        return []
    own, *others = tfidf(counts)
    scores = [sum(weight * other.get(term, 0.0) for term, weight in own.items()) for other in others]
    ranked = sorted(((s, i) for i, s in enumerate(scores) if s >= minimum), reverse=True)[:limit]
    return [(candidates[i][0], round(s, 3)) for s, i in ranked]
