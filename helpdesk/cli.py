"""Command-line tools: ``flask --app wsgi <command>``."""
from __future__ import annotations

import functools
import json
import logging
import sys
from datetime import datetime
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import inspect, select
from sqlalchemy.exc import OperationalError, ProgrammingError

from helpdesk.extensions import db
from helpdesk.users.models import ROLES


SCHEMA_FREE = {"init-db", "db", "run", "shell", "routes"}  # commands that work before init-db


def register(app: Flask) -> None:
    for command in (init_db, create_user, deadline, ingest_eml, poll_email, demo):
        app.cli.add_command(command)


def guard_schema(app: Flask) -> None:
    """Every command that needs the tables says "run init-db first" instead of a traceback."""
    for name, command in app.cli.commands.items():
        if name not in SCHEMA_FREE and command.callback is not None:
            command.callback = _needs_schema(app, command.callback)


def _needs_schema(app: Flask, callback):
    @functools.wraps(callback)
    def run(*args, **kwargs):
        try:
            return callback(*args, **kwargs)
        except (OperationalError, ProgrammingError):
            with app.app_context():
                migrated = inspect(db.engine).has_table("alembic_version")
            if not migrated:
                raise click.ClickException(
                    "the database has no tables yet: run `flask --app wsgi init-db` first") from None
            raise
    return run


@click.command("init-db")
@with_appcontext
def init_db() -> None:
    """Create or upgrade the schema (Alembic), seed components and services, store a classifier."""
    from flask_migrate import upgrade

    from helpdesk.catalog.seed import seed_reference_data
    from helpdesk.classify.training import ensure_model

    upgrade()
    seed_reference_data()
    ensure_model()  # trains and stores the shipped model once, so every process loads it fast
    click.echo(f"database ready: {db.engine.url.render_as_string(hide_password=True)}")


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--name", default="")
@click.option("--password-stdin", is_flag=True, help="read the password from standard input")
@with_appcontext
def create_user(email: str, role: str, name: str, password_stdin: bool) -> None:
    """Create a staff account (or reset its password and role)."""
    from helpdesk.users.models import User

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    email = email.strip().lower()
    user = db.session.scalar(select(User).filter_by(email=email)) or User(email=email)
    user.role, user.name = role, name or user.name or email.split("@")[0]
    try:
        user.set_password(password)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="password") from exc
    db.session.add(user)
    db.session.commit()
    click.echo(f"user {user.email} ({user.role}) saved")


@click.command("deadline")
@click.argument("received_at")
@with_appcontext
def deadline(received_at: str) -> None:
    """Print when the 14-working-day clock of a complaint received at RECEIVED_AT ends."""
    from helpdesk.office_calendar import office_calendar

    cal = office_calendar()
    try:
        when = datetime.fromisoformat(received_at)
    except ValueError as exc:
        raise click.BadParameter(f"not an ISO date/time: {received_at!r}") from exc
    if when.tzinfo is None:  # a bare local time is read in the office's zone
        when = when.replace(tzinfo=cal.tz)
    limit = current_app.config["ANSWER_WORKING_DAYS"]
    click.echo(json.dumps({
        "received_at": when.astimezone(cal.tz).isoformat(),
        "clock_starts_at": cal.clock_start(when).isoformat(),
        "due_at": cal.due_at(when, working_days=limit).isoformat(),
        "working_days": limit,
    }))


@click.command("ingest-eml")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def ingest_eml(files: tuple[Path, ...]) -> None:
    """Feed .eml files through the e-mail intake path; one JSON line per file."""
    from helpdesk.intake.email import ingest_raw_email

    for path in files:
        outcome = ingest_raw_email(path.read_bytes())
        click.echo(json.dumps({"file": str(path), **outcome}, ensure_ascii=False))


@click.command("poll-email")
@click.option("--idle", default=0, show_default=True, help="then wait this many seconds in IDLE for new mail")
@with_appcontext
def poll_email(idle: int) -> None:
    """Take in new mail from every configured IMAP mailbox once; one JSON object per run."""
    from helpdesk.mail.poller import configured_mailboxes, poll

    boxes = configured_mailboxes()
    if not boxes:
        raise click.ClickException("no IMAP mailbox configured (HELPDESK_IMAP_HOST, HELPDESK_IMAP_USER, "
                                   "HELPDESK_IMAP_PASSWORD)")
    click.echo(json.dumps(poll(boxes, idle_seconds=idle), ensure_ascii=False))


@click.command("demo")
@click.option("--tickets", default=24, show_default=True,
              help="ordinary complaints besides the two dozen special cases")
@with_appcontext
def demo(tickets: int) -> None:
    """Fill an empty office with a small realistic one: units, staff, a few months of tickets."""
    from helpdesk.demo import DemoRefused, seed_demo

    quiet = logging.root.manager.disable
    logging.disable(logging.ERROR)  # the log lines of the invented past (a bounce included) are no news today
    try:
        summary = seed_demo(tickets)
    except DemoRefused as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        logging.disable(quiet)
    click.echo(json.dumps(summary, ensure_ascii=False))
