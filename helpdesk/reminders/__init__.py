"""Reminders: one row per (ticket, kind), kept in step with the ticket, swept by the scheduler."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Check the reminder settings, connect the ticket signals and register the jobs."""
    from config import ConfigError
    from helpdesk.reminders import jobs, service  # noqa: F401  (registers the jobs and the signal receivers)
    from helpdesk.reminders.digest import digest_time

    try:
        service.policy(app.config)
        digest_time(app.config)
    except ValueError as exc:
        raise ConfigError(f"reminder settings: {exc}") from exc
