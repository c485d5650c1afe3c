"""Judging the classifier on labeled complaints: accuracy, macro-F1, per class, confusion.

Pure: no Flask. :func:`evaluate` runs a classifier over examples; :func:`render` prints the
report whose last line is ``accuracy=0.NN macro_f1=0.NN``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support

from helpdesk.classify.model import Classifier, Example


@dataclass
class Report:
    accuracy: float
    macro_f1: float
    labels: list[str]
    rows: list[tuple[str, float, float, float, int]]  # label, precision, recall, f1, support
    confusion: list[list[int]]  # rows: true label, columns: predicted, in ``labels`` order
    total: int
    threshold: float
    confident: int  # proposals at or above the threshold
    confident_correct: int
    service_total: int = 0  # examples whose service is labeled (null counts: "no service")
    service_correct: int = 0
    errors: list[tuple[str, str, str]] = field(default_factory=list)  # true, predicted, text


def evaluate(classifier: Classifier, examples: Sequence[Example], *, threshold: float,
             service_labeled: bool = True) -> Report:
    """Classify every example and compare with its labels."""
    proposals = classifier.propose_many([e.text for e in examples])
    gold = [e.component for e in examples]
    pred = [p.component if p else "" for p in proposals]
    labels = sorted(set(gold) | set(pred))
    precision, recall, f1, support = precision_recall_fscore_support(gold, pred, labels=labels, zero_division=0)
    confident = [(p, g) for p, g in zip(proposals, gold) if p and p.confidence >= threshold]
    report = Report(
        accuracy=float(accuracy_score(gold, pred)),
        macro_f1=float(f1_score(gold, pred, labels=labels, average="macro", zero_division=0)),
        labels=labels, rows=[(lab, float(p), float(r), float(f), int(s))
                             for lab, p, r, f, s in zip(labels, precision, recall, f1, support)],
        confusion=confusion_matrix(gold, pred, labels=labels).tolist(), total=len(examples),
        threshold=threshold, confident=len(confident),
        confident_correct=sum(p.component == g for p, g in confident),
        errors=[(g, p, e.text) for g, p, e in zip(gold, pred, examples) if g != p])
    if service_labeled:
        report.service_total = len(examples)
        report.service_correct = sum((p.service if p else None) == e.service for p, e in zip(proposals, examples))
    return report


def render(report: Report) -> str:
    """The report as text; the last line is ``accuracy=0.NN macro_f1=0.NN``."""
    width = max(len(lab) for lab in report.labels)
    out = [f"complaints: {report.total}", f"accuracy: {report.accuracy:.4f}", f"macro-F1: {report.macro_f1:.4f}"]
    if report.confident:
        out.append(f"at confidence >= {report.threshold:.2f}: {report.confident}/{report.total} proposals "
                   f"({report.confident / report.total:.0%}), accuracy {report.confident_correct / report.confident:.4f}")
    if report.service_total:
        out.append(f"service accuracy: {report.service_correct / report.service_total:.4f} "
                   f"({report.service_correct}/{report.service_total}, null = no service named)")
    out += ["", f"{'#':>2}  {'component':<{width}}  precision  recall  f1-score  support"]
    for i, (lab, p, r, f, s) in enumerate(report.rows, start=1):
        out.append(f"{i:>2}  {lab:<{width}}  {p:9.2f}  {r:6.2f}  {f:8.2f}  {s:7d}")
    out += ["", "confusion matrix (rows: true #, columns: predicted #)",
            "    " + "".join(f"{i:>4}" for i in range(1, len(report.labels) + 1))]
    for i, row in enumerate(report.confusion, start=1):
        out.append(f"{i:>4}" + "".join(f"{n:>4}" for n in row))
    out += ["", f"accuracy={report.accuracy:.2f} macro_f1={report.macro_f1:.2f}"]
    return "\n".join(out)
