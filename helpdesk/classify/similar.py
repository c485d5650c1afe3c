"""Earlier complaints on the same matter: ranking texts by their likeness to one complaint.

Pure: no Flask. Word and word-pair TF-IDF over the candidates themselves, so the words that
are rare in this office's own complaints (a company, a product, a place) weigh most.
"""
from __future__ import annotations

from typing import Sequence

from sklearn.feature_extraction.text import TfidfVectorizer

from helpdesk.classify.normalise import READ_CHARS, STOP_WORDS, normalise

MIN_SIMILARITY = 0.25  # cosine; below it two complaints share only everyday words


def rank_similar(text: str, candidates: Sequence[tuple[int, str]], *, limit: int = 5,
                 minimum: float = MIN_SIMILARITY) -> list[tuple[int, float]]:
    """(candidate id, similarity) of the candidates most like ``text``, most similar first."""
    query = normalise(text[:READ_CHARS])
    docs = [normalise(t[:READ_CHARS]) for _, t in candidates]
    if not query or not any(docs):
        return []
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, stop_words=list(STOP_WORDS),
                                 token_pattern=r"(?u)\b\w\w\w+\b")
    try:
        matrix = vectorizer.fit_transform([query, *docs])
    except ValueError:  # nothing but stop words
        return []
    scores = (matrix[1:] @ matrix[0].T).toarray().ravel()
    ranked = sorted(((float(s), i) for i, s in enumerate(scores) if s >= minimum), reverse=True)[:limit]
    return [(candidates[i][0], round(s, 3)) for s, i in ranked]
