"""The scheduler: in the web process in the embedded default, else ``flask --app wsgi worker``.

Embedded (``SCHEDULER = "embedded"``) it starts once per process, and only in a process that
serves requests: ``flask run`` (in the reloader's child, not its parent) or a WSGI server
(on its first request). Other commands (``init-db``, ``create-user`` …), scripts and tests
start none; ``SCHEDULER = "off"`` (production, testing) leaves it to the worker command.
"""
from __future__ import annotations

import atexit
import logging
import os
import threading

import click
from flask import Flask

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_embedded: dict = {}  # pid -> the scheduler this process started


def init_app(app: Flask) -> None:
    """Add the worker command; start the embedded scheduler where this process serves."""
    from helpdesk.scheduler.cli import worker

    app.cli.add_command(worker)
    if app.config["SCHEDULER"] != "embedded" or app.testing:
        return
    when = serving(app)
    if when == "now":
        start_embedded(app)
    elif when == "first-request":
        @app.before_request
        def _start_scheduler():
            if os.getpid() not in _embedded:
                start_embedded(app)


def serving(app: Flask) -> str | None:
    """'now' under ``flask run`` (the reloader's child), 'first-request' under a WSGI server, else None."""
    from flask.helpers import get_debug_flag
    from werkzeug.serving import is_running_from_reloader

    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return "first-request"  # imported by a WSGI server (or a script: it starts one only if it serves)
    if ctx.command.name != "run":
        return None
    reload = ctx.params.get("reload")
    if reload is None:
        reload = get_debug_flag()  # `flask run --debug` turns the reloader on
    return "now" if not reload or is_running_from_reloader() else None


def start_embedded(app: Flask):
    """Start this process's scheduler once; stopped when the process exits."""
    from helpdesk.jobs import worker_name
    from helpdesk.scheduler.engine import build

    with _lock:
        if os.getpid() in _embedded:
            return _embedded[os.getpid()]
        try:
            scheduler = build(app, worker=worker_name())
        except Exception:  # e.g. `init-db` not run yet: serve anyway, without jobs
            logger.exception("embedded scheduler not started")
            scheduler = None
        _embedded[os.getpid()] = scheduler
    if scheduler is not None:
        atexit.register(scheduler.shutdown, wait=False)
    return scheduler
