"""Which classifier this process uses: the newest stored version, loaded once per process.

Every web worker and worker process asks :func:`current` before classifying; one small query
on the primary key tells whether a newer version was stored (by ``classify-train`` or the
retraining job, in any process), and only then is its blob loaded. That query is asked at most
once every ``CHECK_SECONDS``: a version stored by another process is used here within that
time; one stored by this process (:func:`forget`) from the next call on. With nothing stored
yet (a fresh install) the process trains the shipped model itself, once.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from sqlalchemy import delete, select

from helpdesk.classify.data import shipped_training
from helpdesk.classify.model import Classifier, runtime
from helpdesk.classify.models import ClassifierModel
from helpdesk.extensions import db

logger = logging.getLogger(__name__)
KEEP_VERSIONS = 3  # older stored models are deleted after a retrain
# A retrain runs nightly or by an officer's command; a minute's delay before the other processes
# use it costs nothing, while asking on every complaint costs a connection and a query each.
CHECK_SECONDS = 60.0


@dataclass(frozen=True)
class Loaded:
    classifier: Classifier
    version: int | None  # None: the shipped model, trained in this process


class _Cache:
    def __init__(self):
        self.lock = threading.Lock()
        self.key: tuple | None = None  # (version, data sha256) of the loaded model
        self.loaded: Loaded | None = None
        self.shipped: Loaded | None = None
        self.broken: set[tuple] = set()  # stored versions that failed to load
        self.answer: Loaded | None = None  # what the last look at the stored versions decided
        self.checked_at: float | None = None  # when (time.monotonic()) that look was


_cache = _Cache()


def current(*, now: float | None = None) -> Loaded:
    """The classifier to use now: the newest loadable stored version, else the shipped one."""
    now = time.monotonic() if now is None else now
    with _cache.lock:
        if _cache.checked_at is not None and 0 <= now - _cache.checked_at < CHECK_SECONDS:
            return _cache.answer
    head = _read(select(ClassifierModel.id, ClassifierModel.data_sha256)
                 .where(ClassifierModel.runtime == runtime()).order_by(ClassifierModel.id.desc()).limit(1))
    key = tuple(head) if head else None
    with _cache.lock:
        _cache.answer, _cache.checked_at = _decide_locked(key), now
        return _cache.answer


def forget() -> None:
    """Look at the stored versions on the next call: this process has just stored one."""
    with _cache.lock:
        _cache.checked_at = None


def _decide_locked(key: tuple | None) -> Loaded:
    if key is None:
        return _shipped_locked()
    if key != _cache.key and key not in _cache.broken:
        try:
            blob = _read(select(ClassifierModel.blob).where(ClassifierModel.id == key[0]))
            loaded = Loaded(Classifier.loads(blob[0]), key[0])
        except Exception:
            logger.exception("classifier version %s could not be loaded; keeping the model in use", key[0])
            _cache.broken.add(key)
        else:
            _cache.key, _cache.loaded = key, loaded
            logger.info("classifier version %s loaded", key[0])
    return _cache.loaded or _shipped_locked()  # a broken newer version: the last good one


def _shipped_locked() -> Loaded:
    if _cache.shipped is None:
        _cache.shipped = Loaded(Classifier(list(shipped_training())), None)
        logger.info("shipped classifier trained in this process (%d examples)", _cache.shipped.classifier.examples)
    return _cache.shipped


def loadable(row: ClassifierModel) -> bool:
    """Whether this process can load the stored version (its runtime and its pickled classes)."""
    if row.runtime != runtime():
        return False
    try:
        Classifier.loads(row.blob)
    except Exception:
        logger.warning("classifier version %s does not load in this process", row.id, exc_info=True)
        return False
    return True


def newest() -> ClassifierModel | None:
    """The newest stored model row (any runtime), through the session."""
    return db.session.scalar(select(ClassifierModel).order_by(ClassifierModel.id.desc()).limit(1))


def prune(keep: int = KEEP_VERSIONS) -> int:
    """Delete all but the newest ``keep`` stored models; returns how many went."""
    ids = db.session.scalars(select(ClassifierModel.id).order_by(ClassifierModel.id.desc()).offset(keep)).all()
    if ids:
        db.session.execute(delete(ClassifierModel).where(ClassifierModel.id.in_(ids)))
    return len(ids)


def _read(stmt):
    """One row through a connection of its own, so a failure cannot spoil the caller's transaction.

    An in-memory SQLite database has only the session's connection, so it is read there.
    """
    if db.engine.url.get_backend_name() == "sqlite" and db.engine.url.database in (None, "", ":memory:"):
        return db.session.execute(stmt).first()
    with db.engine.connect() as conn:
        return conn.execute(stmt).first()
