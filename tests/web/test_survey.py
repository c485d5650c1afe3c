"""The survey on the web: invited by e-mail when answered, one answer per ticket, links that expire."""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from helpdesk.extensions import db
from helpdesk.intake.service import ingest
from helpdesk.outbox.models import OutboxItem
from helpdesk.rules.lifecycle import Status
from helpdesk.survey.models import SurveyInvitation, SurveyResponse
from helpdesk.survey.tokens import make_token
from helpdesk.tickets import operations
from helpdesk.tickets.models import Event, Ticket
from helpdesk.timeutil import utcnow
from tests.factories import inbound
from tests.web.conftest import file_complaint, receipt_link

GOOD = {f"u{i}": str(s) for i, s in enumerate([4, 3, 3, 4, 2, 4, 4, 3, 3], 1)}


def answer(ticket: Ticket) -> None:
    for target in (Status.VERIFIED, Status.IN_ANALYSIS, Status.ANSWERED):
        operations.change_status(ticket, target)
    db.session.commit()


def filed(app):
    citizen = app.test_client()
    link = receipt_link(file_complaint(citizen).get_data(as_text=True))
    return citizen, link, db.session.scalar(select(Ticket))


def survey_path(item: OutboxItem) -> str:
    return re.search(r"https?://[^/\s]+(/survei/\S+)", item.text).group(1)


def test_the_answer_invites_the_reporter_by_email_with_a_link(app):
    _, _, ticket = filed(app)
    answer(ticket)
    (item,) = db.session.scalars(select(OutboxItem).filter_by(kind="survey")).all()
    assert (item.channel, item.recipient, item.ticket_id) == ("email", "siti@contoh.id", ticket.id)
    assert item.subject == f"[{ticket.number}] Survei kepuasan atas penanganan pengaduan Anda"
    assert "Yth. Siti Aminah" in item.text and "9 pertanyaan" in item.text
    invitation = db.session.scalar(select(SurveyInvitation))
    assert survey_path(item) == f"/survei/{make_token(invitation.id)}"
    assert invitation.expires_at - invitation.created_at == timedelta(days=30)
    assert db.session.scalar(select(Event).filter_by(action="survey_invited")).after == "email:siti@contoh.id"


def test_the_reporter_answers_once_even_when_posting_twice(app):
    _, _, ticket = filed(app)
    answer(ticket)
    path = survey_path(db.session.scalar(select(OutboxItem).filter_by(kind="survey")))
    visitor = app.test_client()
    form = visitor.get(path).get_data(as_text=True)
    assert form.count('type="radio"') == 36 and "U8. Penanganan pengaduan, saran dan masukan" in form
    first = visitor.post(path, data={**GOOD, "comment": "Petugas ramah."}, follow_redirects=True)
    assert "Terima kasih, penilaian Anda telah kami terima." in first.get_data(as_text=True)
    second = visitor.post(path, data={**GOOD, "u1": "1"}, follow_redirects=True)
    assert "sudah diisi" in second.get_data(as_text=True)
    (response,) = db.session.scalars(select(SurveyResponse)).all()
    assert response.scores == (4, 3, 3, 4, 2, 4, 4, 3, 3) and response.comment == "Petugas ramah."
    assert response.source == "web" and response.ticket_id == ticket.id
    assert db.session.scalar(select(func.count()).select_from(Event).filter_by(action="survey_answered")) == 1


def test_an_incomplete_form_is_refused_with_the_elements_named(app):
    _, _, ticket = filed(app)
    answer(ticket)
    path = survey_path(db.session.scalar(select(OutboxItem).filter_by(kind="survey")))
    partial = {k: v for k, v in GOOD.items() if k not in ("u3", "u9")}
    page = app.test_client().post(path, data={**partial, "u1": "5"})
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert "Mohon beri nilai untuk setiap unsur." in html and html.count('aria-invalid="true"') == 3
    assert 'value="4" required\n      checked' in html  # what was chosen stays chosen
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 0


def test_an_expired_or_forged_link(app):
    _, _, ticket = filed(app)
    answer(ticket)
    invitation = db.session.scalar(select(SurveyInvitation))
    path = f"/survei/{make_token(invitation.id)}"
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    client = app.test_client()
    assert client.get(path).status_code == 410
    late = client.post(path, data=GOOD, follow_redirects=True)
    assert late.status_code == 410 and "sudah berakhir" in late.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 0
    assert client.get(path[:-3] + "abc").status_code == 404
    assert client.get("/survei/1").status_code == 404


def test_the_status_page_offers_the_survey_after_the_answer(app):
    citizen, link, ticket = filed(app)
    assert "survey-link" not in citizen.get(link, follow_redirects=True).get_data(as_text=True)
    answer(ticket)
    page = citizen.get(f"/status/{ticket.number}").get_data(as_text=True)
    survey = re.search(r'href="([^"]+)" id="survey-link"', page).group(1)
    citizen.post(survey, data=GOOD)
    after = citizen.get(f"/status/{ticket.number}").get_data(as_text=True)
    assert "survey-link" not in after and "sudah mengisi survei" in after


def test_a_reporter_reached_by_phone_only_is_invited_on_the_status_page(app):
    ticket = ingest(inbound(channel="walk_in", email=None, phone="0812-3456-7890")).ticket
    answer(ticket)
    invitation = db.session.scalar(select(SurveyInvitation))
    assert invitation.channel == "web" and invitation.recipient is None
    assert db.session.scalar(select(func.count()).select_from(OutboxItem).filter_by(kind="survey")) == 0
    assert db.session.scalar(select(Event).filter_by(action="survey_invited")).after == "web"


def test_a_reopened_ticket_answered_again_is_invited_again_until_answered(app):
    _, _, ticket = filed(app)
    answer(ticket)
    operations.change_status(ticket, Status.REOPENED, note="belum selesai")
    operations.change_status(ticket, Status.ANSWERED)
    db.session.commit()
    invitation = db.session.scalar(select(SurveyInvitation))
    assert invitation.rounds == 2
    assert db.session.scalar(select(func.count()).select_from(OutboxItem).filter_by(kind="survey")) == 2
    app.test_client().post(f"/survei/{make_token(invitation.id)}", data=GOOD)
    operations.change_status(ticket, Status.REOPENED, note="lagi")
    operations.change_status(ticket, Status.ANSWERED)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(OutboxItem).filter_by(kind="survey")) == 2
    assert db.session.scalar(select(func.count()).select_from(SurveyInvitation)) == 1


def test_the_survey_form_in_english(app):
    _, _, ticket = filed(app)
    answer(ticket)
    path = survey_path(db.session.scalar(select(OutboxItem).filter_by(kind="survey")))
    client = app.test_client()
    client.get("/bahasa/en")
    html = client.get(path).get_data(as_text=True)
    assert "Public satisfaction survey" in html and "U1. Requirements" in html and "4 — Very good" in html


def test_links_sent_outside_a_request_use_the_public_address(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://pengaduan.contoh.go.id/helpdesk/")
    _, _, ticket = filed(app)
    answer(ticket)  # no web request here: as in a job or the API worker
    item = db.session.scalar(select(OutboxItem).filter_by(kind="survey"))
    invitation = db.session.scalar(select(SurveyInvitation))
    assert f"https://pengaduan.contoh.go.id/helpdesk/survei/{make_token(invitation.id)}" in item.text


def test_the_link_lifetime_is_a_checked_setting():
    import pytest

    from config import ConfigError, load
    assert load({"ENV": "testing"}, environ={"HELPDESK_SURVEY_VALID_DAYS": "7"})["SURVEY_VALID_DAYS"] == 7
    with pytest.raises(ConfigError):
        load({"ENV": "testing"}, environ={"HELPDESK_SURVEY_VALID_DAYS": "0"})
