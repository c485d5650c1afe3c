"""One classification head: a linear SVM calibrated into probabilities, kept as its fitted numbers.

Pure: no Flask. scikit-learn (imported for fitting only) fits the SVM and the Platt scaling;
prediction uses the fitted numbers directly (scores, then each class's sigmoid, normalised, as
scikit-learn computes them), which skips the library's per-call input checks, costlier than the
arithmetic for one complaint.
"""
from __future__ import annotations

from collections import Counter
from typing import Sequence

import numpy as np
from scipy.special import expit

MIN_EXAMPLES = 3  # a label with fewer examples is not learned (calibration needs folds)


def learnable(labels: Sequence[str]) -> int:
    """How many labels have enough examples to be learned."""
    return sum(n >= MIN_EXAMPLES for n in Counter(labels).values())


def calibrated_svm(X, labels: Sequence[str], weights: np.ndarray, c: float):
    """A linear SVM whose scores are mapped to probabilities by Platt scaling over CV folds."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.svm import LinearSVC

    folds = min(5, min(Counter(labels).values()))
    model = CalibratedClassifierCV(LinearSVC(C=c, class_weight="balanced", random_state=0), cv=folds,
                                   method="sigmoid", ensemble=False)
    return model.fit(X, labels, sample_weight=weights)


class Head:
    """One calibrated linear SVM over the shared features."""

    def __init__(self, X, labels: Sequence[str], weights: np.ndarray, c: float):
        counts = Counter(labels)
        if learnable(labels) < 2:
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
