"""The learned classifier: word and character n-gram TF-IDF, calibrated linear SVMs, explanations.

Pure: no Flask, no database. scikit-learn fits the model; a fitted model keeps only numbers
(:mod:`helpdesk.classify.features`, :mod:`helpdesk.classify.heads`), so loading and using one
imports no scikit-learn. One feature space feeds two heads, the service-standard component
(R4 b) and the service (R4 a); each head is a linear SVM whose scores are calibrated into
probabilities (Platt scaling over cross-validation folds), so a proposal carries a confidence.
The words that drove a proposal are read off the linear weights of the winning class.
"""
from __future__ import annotations

import hashlib
import json
import pickle
import zlib
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import version
from typing import Callable, Iterable, Sequence

import numpy as np
from scipy.sparse import csr_matrix, hstack

from helpdesk.classify.features import Features
from helpdesk.classify.heads import Head, learnable
from helpdesk.classify.normalise import READ_CHARS, STOP_WORDS, normalise

# Bump when the features or heads change: stored models of another version are not loaded.
FEATURES_VERSION = 2  # 2: the fitted TF-IDF kept as plain numbers (Features), not scikit-learn objects
NO_SERVICE = ""  # the service head's label for "no service named"
EXPLAIN_WORDS = 5


@lru_cache(maxsize=1)
def runtime() -> str:
    """What a stored model needs to be loadable: the library and the feature version."""
    return f"scikit-learn {version('scikit-learn')}; features {FEATURES_VERSION}"


@dataclass(frozen=True)
class Example:
    text: str
    component: str
    service: str | None = None  # a service slug, or None when the text names none
    weight: float = 1.0  # officers' confirmed classifications count more than the shipped set


@dataclass(frozen=True)
class Proposal:
    component: str
    confidence: float
    explain: tuple[str, ...]  # the words that drove the component, strongest first
    service: str | None
    service_confidence: float
    service_explain: tuple[str, ...]

    def as_json(self) -> dict:
        """The command line's shape: component, confidence, service, explain."""
        return {"component": self.component, "confidence": round(self.confidence, 4),
                "service": self.service, "explain": list(self.explain)}


class Classifier:
    """Proposes a component and a service for a complaint's text."""

    def __init__(self, examples: Sequence[Example], *, c: float = 0.5, stem: Callable[[str], str] | None = None):
        if not examples:
            raise ValueError("no training examples")
        # A stemmer for the word features, only to measure stemming (bench/classify.py --sastrawi);
        # with one, explanations come from the character n-grams alone.
        self.stem = stem
        from sklearn.feature_extraction.text import TfidfVectorizer  # training only

        texts = [normalise(e.text[:READ_CHARS]) for e in examples]
        words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"(?u)\b\w\w+\b",
                                dtype=np.float32)
        chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, dtype=np.float32)
        X = hstack([words.fit_transform(self._stemmed(texts)), chars.fit_transform(texts)]).tocsr()
        self.words, self.chars = Features(words), Features(chars)
        weights = np.array([e.weight for e in examples], dtype=float)
        self.component = Head(X, [e.component for e in examples], weights, c)
        services = [e.service or NO_SERVICE for e in examples]
        # Data that names no service (or only one) leaves the service to the officer.
        self.service = Head(X, services, weights, c) if learnable(services) >= 2 else None
        self._names = self.words.names + self.chars.names
        self.n_word_features = len(self.words.vocabulary)
        self.examples = len(examples)

    def _stemmed(self, texts: list[str]) -> list[str]:
        return [self.stem(t) for t in texts] if self.stem else texts

    def _features(self, texts: list[str]) -> csr_matrix:
        return hstack([self.words.transform(self._stemmed(texts)), self.chars.transform(texts)]).tocsr()

    def propose(self, text: str) -> Proposal | None:
        """The proposal for one complaint; None when the text holds no words at all."""
        return self.propose_many([text])[0]

    def propose_many(self, texts: Iterable[str]) -> list[Proposal | None]:
        """Proposals for many complaints at once (evaluation, the bench)."""
        normal = [normalise(t[:READ_CHARS]) for t in texts]
        if not normal:
            return []
        X = self._features(normal)
        comp, comp_p = self.component.predict(X)
        if self.service is not None:
            serv, serv_p = self.service.predict(X)
        analyse = self.chars.analyse
        out: list[Proposal | None] = []
        for i, text in enumerate(normal):
            if not text:
                out.append(None)
                continue
            row = X.getrow(i)
            owners = self._owners(row, text, analyse)
            service, service_confidence, service_explain = None, 0.0, ()
            if self.service is not None:
                service, service_confidence = self.service.classes[serv[i]] or None, float(serv_p[i])
                if service:
                    service_explain = _explain(row, owners, self.service.pushes[serv[i]])
            out.append(Proposal(
                component=self.component.classes[comp[i]], confidence=float(comp_p[i]),
                explain=_explain(row, owners, self.component.pushes[comp[i]]),
                service=service, service_confidence=service_confidence, service_explain=service_explain))
        return out

    def _owners(self, row: csr_matrix, text: str, analyse) -> list[tuple[str, ...]]:
        """For each feature of the text (in ``row.indices`` order), the words it came from."""
        words = [w for w in dict.fromkeys(text.split()) if len(w) > 2 and w not in STOP_WORDS]
        wanted = set(words)
        by_gram: dict[str, list[str]] = defaultdict(list)
        for w in words:
            for gram in set(analyse(w)):  # char_wb n-grams never cross a word boundary
                by_gram[gram].append(w)
        return [tuple(w for w in self._names[idx].split() if w in wanted) if idx < self.n_word_features
                else tuple(by_gram.get(self._names[idx], ())) for idx in row.indices]

    def dumps(self) -> bytes:
        """The model as bytes for the database (pickle, compressed)."""
        return zlib.compress(pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL), 6)

    @staticmethod
    def loads(blob: bytes) -> "Classifier":
        """Back from :meth:`dumps`; only ever called on blobs this application stored itself."""
        model = pickle.loads(zlib.decompress(blob))
        if not isinstance(model, Classifier):
            raise TypeError(f"not a stored classifier: {type(model).__name__}")
        return model


def _explain(row: csr_matrix, owners: list[tuple[str, ...]], pushes: np.ndarray) -> tuple[str, ...]:
    """The words whose features pushed hardest towards the class with these weights."""
    push = row.data * pushes[row.indices]
    score: dict[str, float] = defaultdict(float)
    for k in np.flatnonzero(push > 0):
        for w in owners[k]:
            score[w] += push[k] / len(owners[k])
    return tuple(w for w, _ in sorted(score.items(), key=lambda kv: -kv[1])[:EXPLAIN_WORDS])


def fingerprint(examples: Iterable[Example]) -> str:
    """sha256 of the training data and the runtime: equal fingerprints train equal models."""
    digest = hashlib.sha256(runtime().encode())
    for e in sorted(examples, key=lambda e: (e.text, e.component, e.service or "", e.weight)):
        digest.update(json.dumps([e.text, e.component, e.service, e.weight], ensure_ascii=False).encode())
    return digest.hexdigest()
