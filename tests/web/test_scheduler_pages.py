"""The admin's scheduler page, and linking a staff member's Telegram chat for notifications."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from helpdesk.extensions import db
from helpdesk.jobs import PERIODIC_JOBS, JobSpec
from helpdesk.outbox.models import OutboxItem
from helpdesk.reminders.models import Reminder
from helpdesk.scheduler.engine import build
from helpdesk.scheduler.models import apscheduler_jobs
from helpdesk.scheduler.runner import run_job
from helpdesk.users.models import User
from helpdesk.web.setup import value_label
from tests.web.conftest import file_complaint


def test_the_admin_sees_each_jobs_last_run_next_run_and_error(app, client_for, monkeypatch):
    def broken():
        raise ConnectionRefusedError("imap.kantor.go.id:993 refused")
    monkeypatch.setitem(PERIODIC_JOBS, "test-broken", JobSpec("test-broken", broken, seconds=300,
                                                              description="a job that cannot connect"))
    admin = client_for("admin")
    page = admin.get("/admin/penjadwal").get_data(as_text=True)
    assert "Tidak ada tugas yang berjalan dalam 5 menit terakhir" in page  # nothing ran yet: said so
    assert page.count("belum pernah") == len(PERIODIC_JOBS)

    build(app, worker="host-a:123", paused=True).shutdown(wait=True)  # the store keeps each job's next run
    run_job("outbox-delivery", worker="host-a:123")
    run_job("test-broken", worker="host-a:123")
    page = admin.get("/admin/penjadwal").get_data(as_text=True)
    assert "Tidak ada tugas yang berjalan" not in page
    for job_id in PERIODIC_JOBS:
        assert f'id="job-{job_id}"' in page
    row = _row(page, "outbox-delivery")
    assert "host-a:123" in row and "berhasil" in row and "&#34;sent&#34;: 0" in row
    next_run = db.session.scalar(select(apscheduler_jobs.c.next_run_time)
                                 .where(apscheduler_jobs.c.id == "outbox-delivery"))
    shown = datetime.fromtimestamp(next_run, timezone.utc).astimezone(app_tz(app)).strftime("%d-%m-%Y %H:%M:%S")
    assert shown in row
    broken_row = _row(page, "test-broken")
    assert "galat" in broken_row and "ConnectionRefusedError: imap.kantor.go.id:993 refused" in broken_row
    assert "a job that cannot connect" in broken_row
    assert "Penjadwal: tugas berkala dan pengingat" in admin.get("/admin/").get_data(as_text=True)


def test_the_page_lists_reminders_given_up(app, client_for):
    file_complaint(app.test_client())
    row = db.session.scalars(select(Reminder)).first()
    row.sent_at, row.outcome, row.last_error = row.due_at, "failed", "RuntimeError: no template"
    db.session.commit()
    page = client_for("admin").get("/admin/penjadwal").get_data(as_text=True)
    assert "1 gagal" in page and "RuntimeError: no template" in page
    with app.test_request_context():
        assert value_label(row.kind, "reminder") in page and row.kind not in page  # the reminder in words


def app_tz(app):
    from zoneinfo import ZoneInfo
    return ZoneInfo(app.config["TIMEZONE"])


def _row(page: str, job_id: str) -> str:
    return re.search(rf'<tr id="job-{re.escape(job_id)}">(.*?)</tr>', page, re.S).group(1)


def test_a_staff_member_links_telegram_with_the_code_sent_to_that_chat(app, client_for, staff, monkeypatch):
    officer = client_for("officer")
    assert "belum diaktifkan" in officer.get("/sandi").get_data(as_text=True)
    assert "belum diaktifkan" in post(officer, "/sandi/telegram", {"op": "start", "chat_id": "42"})
    monkeypatch.setitem(app.config, "TELEGRAM_BOT_TOKEN", "123:test")
    assert "berupa angka" in post(officer, "/sandi/telegram", {"op": "start", "chat_id": "@budi"})
    post(officer, "/sandi/telegram", {"op": "start", "chat_id": "987654321"})
    (item,) = db.session.scalars(select(OutboxItem).filter_by(channel="telegram")).all()
    assert item.recipient == "987654321" and "officer@kantor.go.id" in item.text
    code = sent_code()
    assert "salah atau kedaluwarsa" in post(officer, "/sandi/telegram", {"op": "confirm", "code": "0000"})
    assert db.session.get(User, staff["officer"].id).telegram_chat_id is None
    assert "ditautkan" in post(officer, "/sandi/telegram", {"op": "confirm", "code": code})
    db.session.expire_all()
    assert db.session.get(User, staff["officer"].id).telegram_chat_id == "987654321"
    assert "987654321" in officer.get("/sandi").get_data(as_text=True)
    post(officer, "/sandi/telegram", {"op": "unlink"})
    db.session.expire_all()
    assert db.session.get(User, staff["officer"].id).telegram_chat_id is None


def test_a_code_expires_and_tries_are_limited(app, client_for, monkeypatch):
    monkeypatch.setitem(app.config, "TELEGRAM_BOT_TOKEN", "123:test")
    officer = client_for("officer")
    post(officer, "/sandi/telegram", {"op": "start", "chat_id": "111"})
    code = sent_code()
    for _ in range(5):
        officer.post("/sandi/telegram", data={"op": "confirm", "code": "nope"})
    assert "salah atau kedaluwarsa" in post(officer, "/sandi/telegram", {"op": "confirm", "code": code})
    post(officer, "/sandi/telegram", {"op": "start", "chat_id": "111"})
    code = sent_code()
    later = datetime.now(timezone.utc) + timedelta(minutes=16)
    monkeypatch.setattr("helpdesk.web.auth_views.utcnow", lambda: later)
    assert "salah atau kedaluwarsa" in post(officer, "/sandi/telegram", {"op": "confirm", "code": code})


def test_the_admin_sets_and_clears_a_staff_members_chat(app, client_for, staff):
    admin = client_for("admin")
    officer_id = staff["officer"].id
    form = {"id": officer_id, "email": "officer@kantor.go.id", "role": "officer", "name": "Officer", "active": "1"}
    assert "berupa angka" in post(admin, "/admin/pengguna", {**form, "telegram": "abc"})
    post(admin, "/admin/pengguna", {**form, "telegram": "-100200300"})
    db.session.expire_all()
    assert db.session.get(User, officer_id).telegram_chat_id == "-100200300"
    post(admin, "/admin/pengguna", {**form, "telegram": ""})  # empty: unchanged
    db.session.expire_all()
    assert db.session.get(User, officer_id).telegram_chat_id == "-100200300"
    post(admin, "/admin/pengguna", {**form, "telegram": "-"})
    db.session.expire_all()
    assert db.session.get(User, officer_id).telegram_chat_id is None


def post(client, url: str, data: dict) -> str:
    """POST a form, follow the redirect, return the page (it carries the flash message)."""
    return client.post(url, data=data, follow_redirects=True).get_data(as_text=True)


def sent_code() -> str:
    """The code in the latest message the bot was asked to send."""
    item = db.session.scalars(select(OutboxItem).order_by(OutboxItem.id.desc())).first()
    return re.search(r": ([0-9a-f]{8}) ", item.text).group(1)
