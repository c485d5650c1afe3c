"""Pengaduan Helpdesk: complaint handling for Indonesian public-service offices."""
from __future__ import annotations

import logging

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

import config as settings
from helpdesk.extensions import csrf, db, limiter, login_manager, migrate

ROOT = settings.ROOT


def create_app(config: dict | None = None) -> Flask:
    """Build the application; ``config`` overrides the environment (tests pass a dict)."""
    app = Flask(__name__, template_folder=str(ROOT / "templates"), instance_path=str(ROOT / "instance"))
    configure_settings(app, config)
    configure_logging(app)
    configure_checks(app)
    configure_database(app)
    configure_auth(app)
    configure_web(app)
    configure_blueprints(app)
    configure_scheduler(app)
    configure_cli(app)
    return app


def configure_settings(app: Flask, config: dict | None) -> None:
    app.config.update(settings.load(config, instance_path=app.instance_path))


def configure_logging(app: Flask) -> None:
    if not app.debug and not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # Each job run is recorded for the admin's scheduler page; APScheduler's own line per run is noise.
    logging.getLogger("apscheduler.executors").setLevel(logging.WARNING)


def configure_checks(app: Flask) -> None:
    """Settings that let the helpdesk start but not serve citizens well: said once, at start."""
    if app.config["ENV"] == "production" and not app.config["PUBLIC_URL"].strip():
        logging.getLogger(__name__).warning(
            "HELPDESK_PUBLIC_URL is not set: links sent to citizens (status tracking in acknowledgements, "
            "survey invitations from the worker) cannot name this site's public address; set it to the "
            "address citizens reach the helpdesk at, e.g. https://pengaduan.kantor.go.id")


def configure_database(app: Flask) -> None:
    from helpdesk import models  # noqa: F401  (registers every table)

    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith(("postgres://", "postgresql://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        from pathlib import Path
        Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """WAL and a busy timeout let the web process and the worker share one SQLite file."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()


def configure_auth(app: Flask) -> None:
    from helpdesk import auth
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    auth.init_app(app)


def configure_web(app: Flask) -> None:
    from helpdesk.web import setup
    setup.init_app(app)


def configure_blueprints(app: Flask) -> None:
    from helpdesk import api, chat, classify, mail, survey
    from helpdesk.reports import views as reports
    from helpdesk.web import admin, auth_views, health, officer, public, supervisor
    app.register_blueprint(health.bp)
    for module in (public, auth_views, officer, supervisor, admin, api, reports):
        app.register_blueprint(module.bp)
    survey.init_app(app)  # the survey form, and the invitation when a ticket is answered
    chat.init_app(app)  # Telegram and WhatsApp webhooks, senders, channel status
    mail.init_app(app)  # IMAP poller, SMTP sender, acknowledgements, mailbox status
    classify.init_app(app)  # a classification proposal for each new ticket, its commands and retraining


def configure_cli(app: Flask) -> None:
    from helpdesk.cli import guard_schema, register
    register(app)
    guard_schema(app)  # last: covers the commands every feature registered


def configure_scheduler(app: Flask) -> None:
    from helpdesk import reminders, scheduler
    from helpdesk.outbox import jobs  # noqa: F401  (registers the outbox delivery)
    reminders.init_app(app)
    scheduler.init_app(app)  # after the blueprints: every feature has registered its jobs by now
