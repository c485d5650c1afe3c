"""Stored classifier models: every process loads the newest loadable version from here."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from helpdesk.extensions import db
from helpdesk.timeutil import UTCDateTime, utcnow


class ClassifierModel(db.Model):
    """One trained version of the complaint classifier (its id is the version number)."""

    __tablename__ = "classifier_models"
    id: Mapped[int] = mapped_column(primary_key=True)
    # The version this one replaced (0 for the first): unique, so two processes retraining at
    # once on top of the same version cannot both store a model.
    previous: Mapped[int] = mapped_column(Integer, unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    source: Mapped[str] = mapped_column(String(20))  # shipped | retrained
    data_sha256: Mapped[str] = mapped_column(String(64))  # training data and runtime: equal means equal model
    runtime: Mapped[str] = mapped_column(String(80))  # library and feature version it needs to load
    examples: Mapped[int] = mapped_column(Integer)  # training examples in all
    confirmed: Mapped[int] = mapped_column(Integer, default=0)  # of which officers' confirmed tickets
    metrics: Mapped[str] = mapped_column(Text, default="{}")  # JSON: held-out accuracy and macro-F1
    blob: Mapped[bytes] = mapped_column(LargeBinary)  # the pickled model, compressed

    def __repr__(self) -> str:
        return f"<ClassifierModel v{self.id} {self.source} {self.examples} examples>"
