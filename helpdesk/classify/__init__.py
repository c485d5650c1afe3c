"""Automatic classification of complaints by service-standard component and by service (R4).

The pure part (``normalise``, ``model``, ``evaluate``, ``data``, ``similar``) imports no Flask;
``store``, ``proposals``, ``training`` and ``cli`` bind it to the application. scikit-learn is
imported only when a model is first needed, so commands and start-up stay fast.
"""
from __future__ import annotations

from flask import Flask

from helpdesk.signals import ticket_created


def _propose_on_intake(ticket, **kwargs) -> None:
    from helpdesk.classify.proposals import on_ticket_created

    on_ticket_created(ticket, **kwargs)


def init_app(app: Flask) -> None:
    """Propose a classification for every new ticket; register the commands and the retraining job."""
    from helpdesk.classify import cli, jobs  # noqa: F401  (jobs registers the periodic retraining)

    ticket_created.connect(_propose_on_intake)
    for command in (cli.classify_text, cli.classify_eval, cli.classify_train):
        app.cli.add_command(command)
