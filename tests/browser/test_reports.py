"""In headless Chromium: a citizen answers the survey; the head reads the quarter's report and downloads it."""
from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from helpdesk.extensions import db
from helpdesk.intake.service import ingest
from helpdesk.reports import views as report_views
from helpdesk.rules.lifecycle import Status
from helpdesk.survey.models import SurveyInvitation, SurveyResponse
from helpdesk.survey.tokens import make_token
from helpdesk.tickets import operations
from tests.browser.test_complaint_flow import browser, live_server  # noqa: F401  (fixtures)
from tests.factories import inbound
from tests.integration import report_data
from tests.web.conftest import PASSWORD, staff  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


def test_a_citizen_rates_the_service_and_the_head_reads_the_report(app, staff, live_server, browser,  # noqa: F811
                                                                    monkeypatch, tmp_path):
    history = report_data.build()
    monkeypatch.setattr(report_views, "utcnow", report_data.now_utc)
    ticket = ingest(inbound(email="rina@contoh.id", name="Rina Wulandari")).ticket
    for target in (Status.VERIFIED, Status.IN_ANALYSIS, Status.ANSWERED):
        operations.change_status(ticket, target)
    db.session.commit()
    invitation = db.session.scalar(select(SurveyInvitation).filter_by(ticket_id=ticket.id))

    citizen = browser.new_context(locale="id-ID").new_page()
    citizen.goto(f"{live_server}/survei/{make_token(invitation.id)}")
    assert ticket.number in citizen.inner_text("main")
    for i, score in enumerate([4, 4, 3, 4, 3, 4, 4, 3, 2], 1):
        citizen.check(f"input[name=u{i}][value='{score}']")
    citizen.fill("#comment", "Jawaban cepat dan jelas.")
    citizen.click("#survey-form button[type=submit]")
    assert "sudah diisi" in citizen.inner_text("#survey-state")
    db.session.expire_all()
    stored = db.session.scalar(select(SurveyResponse).filter_by(ticket_id=ticket.id))
    assert stored.scores == (4, 4, 3, 4, 3, 4, 4, 3, 2)

    head = browser.new_context(accept_downloads=True).new_page()
    head.goto(f"{live_server}/masuk")
    head.fill("#email", staff["head"].email)
    head.fill("#password", PASSWORD)
    head.click("form button[type=submit]")
    head.click("nav a[href='/laporan/']")
    assert "Triwulan" in head.inner_text("#period")
    head.select_option("#f-periode", "triwulan")
    head.fill("#f-tahun", "2025")
    head.select_option("#f-triwulan", "4")
    head.click("form.filters button[type=submit]")
    assert head.inner_text("#period") == "Triwulan IV 2025"
    assert head.inner_text("#n-total") == "10" and head.inner_text("#sla") == "66,7 %"
    assert head.inner_text("#median") == "12,0" and head.inner_text("#p90") == "15"
    assert head.inner_text("#ikm-index") == "84,03" and head.inner_text("#ikm-grade") == "B — Baik"
    charts = head.locator("svg.chart")
    assert charts.count() == 2
    box = charts.first.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 60  # drawn, not blocked by the CSP
    assert head.locator("svg.chart rect[fill='#0b4f9c']").count() >= 12
    head.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    with head.expect_download() as download:
        head.click("#exports a:text('XLSX') >> nth=0")
    book = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    rows = list(book["Pengaduan"].iter_rows(min_row=7, values_only=True))
    assert {r[0] for r in rows} == {t.number for k, t in history["tickets"].items()
                                    if k not in ("T10", "T11", "T13")}
