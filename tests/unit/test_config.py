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


def test_development_keeps_one_generated_secret_key_in_the_instance_folder(tmp_path):
    first = config.load(environ={}, instance_path=tmp_path)["SECRET_KEY"]
    again = config.load(environ={}, instance_path=tmp_path)["SECRET_KEY"]  # a restart, or another worker
    assert first == again and len(first) == 64
    key_file = tmp_path / config.DEV_KEY_FILE
    assert key_file.read_text().strip() == first
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert config.load(environ={"HELPDESK_SECRET_KEY": "s" * 40}, instance_path=tmp_path)["SECRET_KEY"] == "s" * 40
    with pytest.raises(config.ConfigError, match="SECRET_KEY must be set"):  # production never uses the file
        config.load(environ={"HELPDESK_ENV": "production"}, instance_path=tmp_path)


def test_the_app_factory_uses_the_instance_folders_development_key(tmp_path, monkeypatch):
    from helpdesk import create_app
    monkeypatch.setattr("helpdesk.ROOT", tmp_path)  # an instance folder of its own
    app = create_app({"ENV": "development", "DATABASE_URL": "sqlite://", "SCHEDULER": "off",
                      "ATTACHMENT_DIR": str(tmp_path / "files")})
    assert app.config["SECRET_KEY"] == (tmp_path / "instance" / config.DEV_KEY_FILE).read_text().strip()


def test_production_without_a_public_url_warns_at_start(tmp_path, monkeypatch, caplog):
    from helpdesk import create_app
    monkeypatch.setattr("helpdesk.ROOT", tmp_path)
    base = {"ENV": "production", "SECRET_KEY": "k" * 40, "DATABASE_URL": f"sqlite:///{tmp_path / 'h.sqlite3'}",
            "ATTACHMENT_DIR": str(tmp_path / "files")}
    with caplog.at_level("WARNING", logger="helpdesk"):
        create_app(base)
    assert "HELPDESK_PUBLIC_URL is not set" in caplog.text
    caplog.clear()
    with caplog.at_level("WARNING", logger="helpdesk"):
        create_app({**base, "PUBLIC_URL": "https://pengaduan.kantor.go.id"})
    assert "PUBLIC_URL" not in caplog.text
