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
    configure_database(app)
    configure_auth(app)
    configure_web(app)
    configure_blueprints(app)
    configure_cli(app)
    return app


def configure_settings(app: Flask, config: dict | None) -> None:
    app.config.update(settings.load(config))


def configure_logging(app: Flask) -> None:
    if not app.debug and not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


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
    from helpdesk import api, chat
    from helpdesk.web import admin, auth_views, health, officer, public, supervisor
    app.register_blueprint(health.bp)
    for module in (public, auth_views, officer, supervisor, admin, api):
        app.register_blueprint(module.bp)
    chat.init_app(app)  # Telegram and WhatsApp webhooks, senders, channel status
    from helpdesk import classify
    classify.init_app(app)  # a classification proposal for each new ticket, its commands and retraining


def configure_cli(app: Flask) -> None:
    from helpdesk.cli import register
    register(app)
