"""The learned classifier: word and character n-gram TF-IDF, calibrated linear SVMs, explanations.

Pure: no Flask, no database. One feature space feeds two heads, the service-standard component
(R4 b) and the service (R4 a); each head is a linear SVM whose scores are calibrated into
probabilities (Platt scaling over cross-validation folds), so a proposal carries a confidence.
The words that drove a proposal are read off the linear weights of the winning class.
"""
from __future__ import annotations

import hashlib
import json
import pickle
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

import numpy as np
import sklearn
from scipy.sparse import csr_matrix, hstack
from scipy.special import expit
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from helpdesk.classify.normalise import STOP_WORDS, normalise

# Bump when the features or heads change: stored models of another version are not loaded.
FEATURES_VERSION = 1
NO_SERVICE = ""  # the service head's label for "no service named"
MIN_EXAMPLES = 3  # a label with fewer examples is not learned (calibration needs folds)
EXPLAIN_WORDS = 5


def runtime() -> str:
    """What a stored model needs to be loadable: the library and the feature version."""
    return f"scikit-learn {sklearn.__version__}; features {FEATURES_VERSION}"


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


def _learnable(labels: Sequence[str]) -> int:
    """How many labels have enough examples to be learned."""
    return sum(n >= MIN_EXAMPLES for n in Counter(labels).values())


def calibrated_svm(X, labels: Sequence[str], weights: np.ndarray, c: float) -> CalibratedClassifierCV:
    """A linear SVM whose scores are mapped to probabilities by Platt scaling over CV folds."""
    folds = min(5, min(Counter(labels).values()))
    model = CalibratedClassifierCV(LinearSVC(C=c, class_weight="balanced", random_state=0), cv=folds,
                                   method="sigmoid", ensemble=False)
    return model.fit(X, labels, sample_weight=weights)


class _Head:
    """One calibrated linear SVM over the shared features, kept as its fitted numbers.

    Predicting from the numbers (scores, then each class's sigmoid, normalised, as scikit-learn
    does) skips the library's per-call input checks, which cost more than the arithmetic for a
    single complaint.
    """

    def __init__(self, X, labels: Sequence[str], weights: np.ndarray, c: float):
        counts = Counter(labels)
        if _learnable(labels) < 2:
            raise ValueError("a classifier needs at least two labels with "
                             f"{MIN_EXAMPLES} examples each, got {dict(counts)}")
        keep = np.array([counts[y] >= MIN_EXAMPLES for y in labels])
        model = calibrated_svm(X[keep], list(np.array(labels)[keep]), weights[keep], c)
        fitted = model.calibrated_classifiers_[0]
        self.classes = [str(c) for c in model.classes_]
        self.coef, self.intercept = fitted.estimator.coef_, fitted.estimator.intercept_
        self.a = np.array([cal.a_ for cal in fitted.calibrators])
        self.b = np.array([cal.b_ for cal in fitted.calibrators])
        # Binary SVMs keep one row: positive scores mean the second class.
        self.pushes = np.vstack([-self.coef[0], self.coef[0]]) if self.coef.shape[0] == 1 else self.coef

    def proba(self, X) -> np.ndarray:
        """Calibrated probabilities, one column per class."""
        p = expit(-(np.asarray(X @ self.coef.T) + self.intercept) * self.a - self.b)
        if len(self.classes) == 2:
            return np.column_stack([1 - p[:, 0], p[:, 0]])
        total = p.sum(axis=1, keepdims=True)
        return np.divide(p, total, out=np.full_like(p, 1 / len(self.classes)), where=total != 0)

    def predict(self, X) -> tuple[np.ndarray, np.ndarray]:
        """(label index, probability) per row."""
        proba = self.proba(X)
        best = proba.argmax(axis=1)
        return best, proba[np.arange(len(best)), best]


class Classifier:
    """Proposes a component and a service for a complaint's text."""

    def __init__(self, examples: Sequence[Example], *, c: float = 0.5, stem: Callable[[str], str] | None = None):
        if not examples:
            raise ValueError("no training examples")
        self.stem = stem
        texts = [normalise(e.text) for e in examples]
        self.words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"(?u)\b\w\w+\b",
                                     dtype=np.float32)
        self.chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, dtype=np.float32)
        X = hstack([self.words.fit_transform(self._stemmed(texts)), self.chars.fit_transform(texts)]).tocsr()
        weights = np.array([e.weight for e in examples], dtype=float)
        self.component = _Head(X, [e.component for e in examples], weights, c)
        services = [e.service or NO_SERVICE for e in examples]
        # Data that names no service (or only one) leaves the service to the officer.
        self.service = _Head(X, services, weights, c) if _learnable(services) >= 2 else None
        self._names = list(self.words.get_feature_names_out()) + list(self.chars.get_feature_names_out())
        self.n_word_features = len(self.words.vocabulary_)
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
        normal = [normalise(t) for t in texts]
        if not normal:
            return []
        X = self._features(normal)
        comp, comp_p = self.component.predict(X)
        if self.service is not None:
            serv, serv_p = self.service.predict(X)
        analyse = self.chars.build_analyzer()
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
