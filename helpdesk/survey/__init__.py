"""The public-satisfaction survey (Survei Kepuasan Masyarakat): invitations, the one answer, the index."""
from __future__ import annotations

from flask import Flask


def _invite_when_answered(ticket, *, before: str, after: str, user=None, **_) -> None:
    from helpdesk.survey.operations import invite
    if after == "answered":
        invite(ticket)


def init_app(app: Flask) -> None:
    """Register the survey pages and invite reporters when their ticket is answered."""
    from helpdesk.signals import status_changed
    from helpdesk.survey import views

    app.register_blueprint(views.bp)
    status_changed.connect(_invite_when_answered)
