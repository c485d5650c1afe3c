"""In headless Chromium: a citizen files a complaint, an officer handles it, the citizen reads the answer."""
from __future__ import annotations

import shutil
import threading

import pytest
from werkzeug.serving import make_server

from helpdesk.extensions import db
from helpdesk.tickets.models import Ticket
from tests.web.conftest import PASSWORD, staff  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture
def live_server(app):
    """The app behind a real WSGI server on a free loopback port, in a thread."""
    app.config["WTF_CSRF_ENABLED"] = True  # the browser goes through the real CSRF checks
    db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright
    if not shutil.which(CHROMIUM):
        pytest.fail("chromium is not installed: run .ci/test-servers (make test does)")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield chromium
        chromium.close()


def test_citizen_files_officer_answers_citizen_reads_the_answer(app, staff, live_server, browser):  # noqa: F811
    citizen = browser.new_context(locale="id-ID").new_page()
    citizen.goto(f"{live_server}/lapor")
    citizen.fill("#name", "Rina Wulandari")
    citizen.fill("#email", "rina@contoh.id")
    citizen.fill("#text", "Sertifikat saya belum terbit padahal semua persyaratan sudah lengkap sejak bulan lalu.")
    citizen.fill("#expected", "Sertifikat segera diterbitkan.")
    citizen.set_input_files("#attachments", files=[{"name": "bukti-bayar.pdf", "mimeType": "application/pdf",
                                                    "buffer": b"%PDF-1.4\n% bukti pembayaran\n"}])
    citizen.check("input[name=consent]")
    citizen.click("form button[type=submit]")
    number = citizen.inner_text("#ticket-number").strip()
    link = citizen.get_attribute("#tracking-link", "href")
    assert number.startswith("ADU-") and "?t=" in link
    assert "Pengaduan" in citizen.inner_text("#kind")

    officer = browser.new_context().new_page()
    officer.goto(f"{live_server}/petugas/")
    assert "/masuk" in officer.url
    officer.fill("#email", staff["officer"].email)
    officer.fill("#password", PASSWORD)
    officer.click("form button[type=submit]")
    officer.fill("#q", "Sertifikat")
    officer.click("form[role=search] button[type=submit]")
    officer.click(f"text={number}")
    assert "bukti-bayar.pdf" in officer.content()
    officer.select_option("#c-component", "jangka_waktu")
    officer.click("form[action$='/aksi/classify'] button")
    officer.select_option("#r-tier", "internal")
    officer.click("form[action$='/aksi/route'] button")
    for target in ("verified", "in_analysis"):
        officer.select_option("#s-target", target)
        officer.click("form[action$='/aksi/status'] button")
    officer.fill("#answer-text", "Sertifikat Anda sudah terbit dan dapat diambil di loket 3.")
    officer.click("#answer-button")
    assert "Dijawab" in officer.inner_text("#status")

    citizen.goto(link)
    assert "Sertifikat Anda sudah terbit" in citizen.inner_text("#answer")
    assert "Dijawab" in citizen.inner_text("#status")
    db.session.expire_all()
    ticket = db.session.scalars(db.select(Ticket).filter_by(number=number)).one()
    assert ticket.status == "answered" and ticket.component == "jangka_waktu" and ticket.tier == "internal"
