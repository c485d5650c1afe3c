"""Retraining from officers' confirmed classifications, by command and as a scheduled job."""
from __future__ import annotations

import json
import logging

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from helpdesk.catalog.models import Service
from helpdesk.classify import store
from helpdesk.classify.data import shipped_heldout, shipped_training
from helpdesk.classify.evaluate import evaluate
from helpdesk.classify.model import Classifier, Example, fingerprint, runtime
from helpdesk.classify.models import ClassifierModel
from helpdesk.classify.texts import ticket_texts
from helpdesk.extensions import db
from helpdesk.tickets.models import Ticket

logger = logging.getLogger(__name__)
# An officer's confirmed classification counts twice a shipped example: it is this office's usage.
CONFIRMED_WEIGHT = 2.0


def confirmed_examples() -> list[Example]:
    """Each ticket whose classification an officer confirmed, as a training example."""
    confirmed = select(Ticket.id).where(Ticket.classification_confirmed.is_(True), Ticket.component.is_not(None))
    texts = ticket_texts(confirmed)
    rows = db.session.execute(select(Ticket.id, Ticket.component, Service.slug)
                              .outerjoin(Service, Service.id == Ticket.service_id)
                              .where(Ticket.id.in_(confirmed)).order_by(Ticket.id))
    return [Example(texts[tid], component, slug, CONFIRMED_WEIGHT)
            for tid, component, slug in rows if texts.get(tid, "").strip()]


def retrain(*, force: bool = False) -> dict:
    """Train on the shipped set plus confirmed tickets and store a new version; flushes, never commits.

    Skipped when the newest stored model was trained on exactly this data with this runtime
    and still loads (a code change can leave a stored model unloadable: then it is replaced).
    """
    confirmed = confirmed_examples()
    examples = list(shipped_training()) + confirmed
    digest = fingerprint(examples)
    latest = store.newest()
    if latest is not None and latest.data_sha256 == digest and not force and store.loadable(latest):
        return {"skipped": "nothing new confirmed since this version", "version": latest.id}
    classifier = Classifier(examples)
    report = evaluate(classifier, shipped_heldout(), threshold=current_app.config["CLASSIFIER_MIN_CONFIDENCE"])
    metrics = {"heldout_accuracy": round(report.accuracy, 4), "heldout_macro_f1": round(report.macro_f1, 4)}
    row = ClassifierModel(previous=latest.id if latest else 0, source="retrained" if confirmed else "shipped",
                          data_sha256=digest, runtime=runtime(), examples=len(examples), confirmed=len(confirmed),
                          metrics=json.dumps(metrics), blob=classifier.dumps())
    db.session.add(row)
    db.session.flush()  # IntegrityError here: another process stored a version on top of the same one
    pruned = store.prune()
    logger.info("classifier version %s stored: %d examples, %d confirmed, %s", row.id, len(examples),
                len(confirmed), metrics)
    return {"version": row.id, "source": row.source, "examples": len(examples), "confirmed": len(confirmed),
            "pruned": pruned, **metrics}


def ensure_model() -> dict:
    """Store a model unless this process can load the newest one (a fresh install, an upgrade)."""
    row = db.session.scalar(select(ClassifierModel).where(ClassifierModel.runtime == runtime())
                            .order_by(ClassifierModel.id.desc()).limit(1))
    if row is not None and store.loadable(row):
        return {"skipped": "a loadable model is stored", "version": row.id}
    return retrain_and_commit(force=True)


def retrain_and_commit(*, force: bool = False) -> dict:
    """:func:`retrain` in its own transaction; losing a race to another process is a skip."""
    try:
        outcome = retrain(force=force)
        db.session.commit()
        store.forget()  # this process classifies with the new version from now on
        return outcome
    except IntegrityError:
        db.session.rollback()
        store.forget()
        latest = store.newest()
        return {"skipped": "another process stored a new version at the same time",
                "version": latest.id if latest else None}

