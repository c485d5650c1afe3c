"""TF-IDF features for prediction, kept as plain numbers so classifying needs no scikit-learn.

Pure: no Flask. Training fits scikit-learn's ``TfidfVectorizer``; :class:`Features` keeps what
prediction needs of it (analyser, vocabulary, idf) and applies it as the library does:
lower-case, word or ``char_wb`` n-grams, sublinear tf, idf, l2 norm, float32. A process that
only classifies then loads numpy and scipy.sparse, not scikit-learn (~80 MB resident less).
``tests/unit/test_classify_model.py`` checks the output against the library's.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Iterable

import numpy as np
from scipy.sparse import csr_matrix

_WHITE_SPACES = re.compile(r"\s\s+")
# The settings this class reproduces; a vectorizer with others is refused, not approximated.
_EXPECTED = {"lowercase": True, "norm": "l2", "use_idf": True, "sublinear_tf": True, "binary": False,
             "stop_words": None, "preprocessor": None, "tokenizer": None, "strip_accents": None,
             "input": "content", "dtype": np.float32}


class Features:
    """A fitted TF-IDF vectorizer's vocabulary and idf, with its analyser."""

    def __init__(self, vectorizer):
        wrong = {k: getattr(vectorizer, k) for k, v in _EXPECTED.items() if getattr(vectorizer, k) != v}
        if wrong or vectorizer.analyzer not in ("word", "char_wb"):
            raise ValueError(f"unsupported TF-IDF settings: {wrong or vectorizer.analyzer}")
        self.analyzer = vectorizer.analyzer
        self.ngram_range = tuple(vectorizer.ngram_range)
        self.token_pattern = vectorizer.token_pattern
        self.vocabulary = {str(k): int(v) for k, v in vectorizer.vocabulary_.items()}
        self.idf = np.asarray(vectorizer.idf_, dtype=np.float32)
        self.names = [str(n) for n in vectorizer.get_feature_names_out()]

    def analyse(self, text: str) -> list[str]:
        """The n-grams of one text, as ``TfidfVectorizer.build_analyzer()`` gives them."""
        text = text.lower()
        low, high = self.ngram_range
        if self.analyzer == "char_wb":
            grams = []
            for word in _WHITE_SPACES.sub(" ", text).split():
                word = f" {word} "
                for n in range(low, high + 1):
                    grams.extend(word[i:i + n] for i in range(max(len(word) - n, 0) + 1))
                    if len(word) <= n:  # a short word counts once, not once per n
                        break
            return grams
        tokens = re.findall(self.token_pattern, text)
        grams = list(tokens) if low == 1 else []
        for n in range(max(low, 2), min(high, len(tokens)) + 1):
            grams.extend(" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
        return grams

    def transform(self, texts: Iterable[str]) -> csr_matrix:
        """The l2-normalised TF-IDF rows of the texts (float32, sorted indices)."""
        indptr, indices, counts = [0], [], []
        for text in texts:
            row = Counter(idx for gram in self.analyse(text) if (idx := self.vocabulary.get(gram)) is not None)
            for idx in sorted(row):
                indices.append(idx)
                counts.append(row[idx])
            indptr.append(len(indices))
        indices = np.asarray(indices, dtype=np.int32)
        data = np.asarray(counts, dtype=np.float32)
        np.log(data, out=data)
        data += 1.0
        data *= self.idf[indices]
        lengths = np.diff(indptr)
        row_of = np.repeat(np.arange(len(lengths)), lengths)
        norms = np.sqrt(np.bincount(row_of, weights=(data * data).astype(np.float64), minlength=len(lengths)))
        norms[norms == 0] = 1.0
        data = (data / norms[row_of]).astype(np.float32)
        return csr_matrix((data, indices, np.asarray(indptr, dtype=np.int32)),
                          shape=(len(lengths), len(self.idf)))
