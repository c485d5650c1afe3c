"""Shared fixtures: the app against every database backend, an isolated database per test."""
from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text

from helpdesk import create_app
from helpdesk.extensions import db

pytest_plugins = ["tests.integration.mail_fixtures"]  # Dovecot, a mailbox per test, the app reading it
PG_ADMIN_URL = os.environ.get("HELPDESK_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BACKENDS = [b for b in os.environ.get("HELPDESK_TEST_BACKENDS", "sqlite,postgresql").split(",") if b]


def _pg_admin():
    return create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def pg_database():
    """A database of its own on the PostgreSQL server for this test run."""
    name = f"helpdesk_test_{uuid.uuid4().hex[:10]}"
    engine = _pg_admin()
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def make_test_app(url: str, tmp_path, **extra):
    return create_app({"ENV": "testing", "DATABASE_URL": url,
                       "ATTACHMENT_DIR": str(tmp_path / "attachments"), **extra})


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request):
    return request.param


@pytest.fixture(scope="session")
def database_url(backend, request, tmp_path_factory):
    if backend == "postgresql":
        return request.getfixturevalue("pg_database")
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'helpdesk.sqlite3'}"


@pytest.fixture(scope="session")
def _migrated_app(database_url, tmp_path_factory):
    """One app per backend with the schema built by the Alembic migrations."""
    from flask_migrate import upgrade

    app = make_test_app(database_url, tmp_path_factory.mktemp("files"))
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(_migrated_app):
    """The app with empty tables and the reference data, inside an app context."""
    from helpdesk.catalog.seed import seed_reference_data
    from helpdesk.classify import store

    with _migrated_app.app_context():
        wipe_tables()
        store.forget()  # the stored classifier versions went with the tables: look again
        seed_reference_data()
        yield _migrated_app
        db.session.remove()


def wipe_tables() -> None:
    db.session.remove()
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
        else:
            conn.execute(text("PRAGMA foreign_keys=OFF"))
            for t in tables:
                conn.execute(text(f'DELETE FROM "{t}"'))
            conn.execute(text("PRAGMA foreign_keys=ON"))
