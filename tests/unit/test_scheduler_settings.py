"""Scheduler and reminder settings, and where the embedded scheduler may start."""
from __future__ import annotations

import click
import pytest

import config
from helpdesk import create_app, scheduler


def test_scheduler_and_reminder_settings_from_the_environment():
    s = config.load(environ={"HELPDESK_ESCALATE_HEAD_AFTER_DAYS": "5", "HELPDESK_SCHEDULER_LEASE_SECONDS": "60",
                             "HELPDESK_REMINDER_MARKS": "5,9", "HELPDESK_STAGE_TARGETS": "verification=2"})
    assert (s["ESCALATE_HEAD_AFTER_DAYS"], s["SCHEDULER_LEASE_SECONDS"]) == (5, 60)
    assert (s["REMINDER_MARKS"], s["STAGE_TARGETS"], s["SCHEDULER"]) == ("5,9", "verification=2", "embedded")
    assert config.load(environ={"HELPDESK_ENV": "production", "HELPDESK_SECRET_KEY": "k" * 40})["SCHEDULER"] == "off"
    assert config.load(environ={"HELPDESK_ENV": "testing"})["SCHEDULER"] == "off"


@pytest.mark.parametrize("overrides, message", [
    ({"SCHEDULER": "sometimes"}, "must be embedded or off"),
    ({"REMINDER_MARKS": "7,15"}, "between 1 and 13"),
    ({"STAGE_TARGETS": "triage=2"}, "unknown stage"),
    ({"ESCALATE_HEAD_AFTER_DAYS": 0}, "at least one working day"),
    ({"DIGEST_TIME": "pagi"}, "reminder settings"),
])
def test_broken_settings_stop_the_start(tmp_path, overrides, message):
    with pytest.raises(config.ConfigError, match=message):
        create_app({"ENV": "testing", "DATABASE_URL": "sqlite://", "ATTACHMENT_DIR": str(tmp_path), **overrides})


def _in_command(name: str, **params):
    ctx = click.Context(click.Command(name), info_name=name)
    ctx.params.update(params)
    return ctx


@pytest.mark.parametrize("command, params, from_reloader, debug, expected", [
    ("init-db", {}, False, False, None),
    ("create-user", {}, False, False, None),
    ("worker", {}, False, False, None),  # the worker builds its own scheduler
    ("run", {"reload": False}, False, False, "now"),
    ("run", {"reload": True}, False, False, None),  # the reloader's parent serves nothing
    ("run", {"reload": True}, True, False, "now"),  # its child does
    ("run", {"reload": None}, False, True, None),  # --debug turns the reloader on
    ("run", {"reload": None}, True, True, "now"),
    ("run", {"reload": None}, False, False, "now"),
])
def test_the_embedded_scheduler_starts_only_where_requests_are_served(
        tmp_path, monkeypatch, command, params, from_reloader, debug, expected):
    monkeypatch.setattr("werkzeug.serving.is_running_from_reloader", lambda: from_reloader)
    monkeypatch.setattr("flask.helpers.get_debug_flag", lambda: debug)
    app = create_app({"ENV": "testing", "DATABASE_URL": "sqlite://", "ATTACHMENT_DIR": str(tmp_path)})
    with _in_command(command, **params):
        assert scheduler.serving(app) == expected
    assert scheduler.serving(app) == "first-request"  # no command: a WSGI server imported the app


def test_tests_and_the_off_setting_start_no_scheduler(tmp_path, monkeypatch):
    started = []
    monkeypatch.setattr(scheduler, "start_embedded", started.append)
    create_app({"ENV": "testing", "DATABASE_URL": "sqlite://", "ATTACHMENT_DIR": str(tmp_path),
                "SCHEDULER": "embedded"})
    key = {"SECRET_KEY": "development-test-key-" + "x" * 20}  # no key file in the checkout's instance/
    create_app({"ENV": "development", "DATABASE_URL": "sqlite://", "ATTACHMENT_DIR": str(tmp_path),
                "SCHEDULER": "off", **key})
    assert started == []
    app = create_app({"ENV": "development", "DATABASE_URL": "sqlite://", "ATTACHMENT_DIR": str(tmp_path), **key})
    app.test_client().get("/healthz")  # a WSGI server's first request starts it
    assert started == [app]
