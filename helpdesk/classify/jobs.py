"""The scheduled retraining of the complaint classifier."""
from __future__ import annotations

from helpdesk.jobs import periodic


@periodic("retrain-classifier", cron={"hour": 2, "minute": 30},
          description="retrain the complaint classifier when officers confirmed new classifications")
def retrain_classifier() -> dict:
    """Nightly: a new model when officers confirmed classifications since the last one.

    Safe in several workers at once: unchanged data is skipped, and of two processes storing a
    version on top of the same one, only the first succeeds (the other reports a skip).
    """
    from helpdesk.classify.training import retrain_and_commit  # scikit-learn loads only when needed

    return retrain_and_commit()
