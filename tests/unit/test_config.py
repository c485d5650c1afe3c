"""Settings: defaults, environment overrides, and refusals in production."""
from __future__ import annotations

import pytest

import config


def test_defaults_are_the_embedded_setup():
    s = config.load(environ={})
    assert s["DATABASE_URL"].startswith("sqlite:///") and s["DATABASE_URL"].endswith("helpdesk.sqlite3")
    assert s["TIMEZONE"] == "Asia/Jakarta" and s["ANSWER_WORKING_DAYS"] == 14
    assert len(s["SECRET_KEY"]) == 64  # random per process in development


def test_environment_overrides_with_types():
    s = config.load(environ={"HELPDESK_TIMEZONE": "Asia/Makassar", "HELPDESK_ANSWER_WORKING_DAYS": "10",
                             "HELPDESK_SESSION_COOKIE_SECURE": "yes", "OTHER": "ignored"})
    assert (s["TIMEZONE"], s["ANSWER_WORKING_DAYS"], s["SESSION_COOKIE_SECURE"]) == ("Asia/Makassar", 10, True)


@pytest.mark.parametrize("environ, message", [
    ({"HELPDESK_ENV": "production"}, "SECRET_KEY must be set"),
    ({"HELPDESK_ENV": "production", "HELPDESK_SECRET_KEY": "short"}, "at least 32"),
    ({"HELPDESK_TIMEZONE": "Mars/Olympus"}, "not a known time zone"),
    ({"HELPDESK_ANSWER_WORKING_DAYS": "fourteen"}, "whole number"),
    ({"HELPDESK_ENV": "staging"}, "must be one of"),
])
def test_unsafe_or_broken_settings_are_refused(environ, message):
    with pytest.raises(config.ConfigError, match=message):
        config.load(environ=environ)


def test_production_with_a_real_secret_starts():
    s = config.load(environ={"HELPDESK_ENV": "production", "HELPDESK_SECRET_KEY": "k" * 40})
    assert s["SESSION_COOKIE_SECURE"] and s["SCHEDULER"] == "off"
