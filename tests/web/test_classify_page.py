"""The classifier's proposal on the officer's ticket page: shown, explained, confirmed; similar tickets."""
from __future__ import annotations

import html as htmllib

import pytest

from helpdesk.extensions import db
from helpdesk.tickets.models import Event, Ticket
from tests.web.conftest import file_complaint, ticket_number

TOILET = "Toilet umum kotor sekali dan tidak ada air, mohon diperbaiki."


def act(client, number, action, **data):
    return client.post(f"/petugas/tiket/{number}/aksi/{action}", data=data, follow_redirects=True)


def page(client, number) -> str:
    return htmllib.unescape(client.get(f"/petugas/tiket/{number}").get_data(as_text=True))


@pytest.fixture
def threshold(app):
    before = app.config["CLASSIFIER_MIN_CONFIDENCE"]
    yield lambda value: app.config.update(CLASSIFIER_MIN_CONFIDENCE=value)
    app.config["CLASSIFIER_MIN_CONFIDENCE"] = before


def test_a_confident_proposal_is_shown_applied_and_an_officer_confirms_it(app, client_for):
    number = ticket_number(file_complaint(app.test_client(), text=TOILET).get_data(as_text=True))
    officer = client_for("officer")
    html = page(officer, number)
    assert 'id="proposal"' in html and "Sarana, prasarana, dan/atau fasilitas (" in html
    assert "toilet" in html.split('id="proposal-words">')[1].split("</dd>")[0]
    assert 'id="auto-applied"' in html and 'id="needs-confirmation"' not in html
    ticket = db.session.scalars(db.select(Ticket)).one()
    assert ticket.component == "sarana_prasarana" and not ticket.classification_confirmed

    html = htmllib.unescape(act(officer, number, "confirm").get_data(as_text=True))
    db.session.refresh(ticket)
    assert ticket.classification_confirmed and ticket.component == "sarana_prasarana"
    event = db.session.scalars(db.select(Event).filter_by(ticket_id=ticket.id, action="classification_confirmed")).one()
    assert event.actor == "officer@kantor.go.id" and event.after == "sarana_prasarana"
    assert "dikonfirmasi petugas" in html and 'id="confirm-proposal"' not in html


def test_a_doubtful_proposal_waits_and_confirming_applies_it(app, client_for, threshold):
    threshold(0.99)
    number = ticket_number(file_complaint(app.test_client(), text=TOILET).get_data(as_text=True))
    officer = client_for("officer")
    html = page(officer, number)
    assert 'id="needs-confirmation"' in html and "perlu konfirmasi" in html and "Di bawah 99% keyakinan" in html
    ticket = db.session.scalars(db.select(Ticket)).one()
    assert ticket.component is None and ticket.proposed_component == "sarana_prasarana"

    officer.get("/bahasa/en")
    english = page(officer, number)
    assert "needs confirmation" in english and "Confirm the proposal" in english and "Facilities" in english

    act(officer, number, "confirm")
    db.session.refresh(ticket)
    assert ticket.component == "sarana_prasarana" and ticket.classification_confirmed


def test_an_officer_correcting_the_proposal_is_what_counts(app, client_for):
    number = ticket_number(file_complaint(app.test_client(), text=TOILET).get_data(as_text=True))
    officer = client_for("officer")
    act(officer, number, "classify", service="", component="keamanan_keselamatan")
    ticket = db.session.scalars(db.select(Ticket)).one()
    assert ticket.component == "keamanan_keselamatan" and ticket.proposed_component == "sarana_prasarana"
    assert ticket.classification_confirmed
    assert "Usulan sistem" in page(officer, number)  # the proposal stays visible beside the choice


def test_confirming_without_any_proposal_is_refused_politely(app, client_for):
    number = ticket_number(file_complaint(app.test_client(), text=TOILET).get_data(as_text=True))
    ticket = db.session.scalars(db.select(Ticket)).one()
    ticket.component = ticket.proposed_component = None
    db.session.commit()
    html = act(client_for("officer"), number, "confirm").get_data(as_text=True)
    assert "Tidak ada usulan untuk dikonfirmasi." in html
    db.session.refresh(ticket)
    assert not ticket.classification_confirmed


def test_related_tickets_include_an_earlier_complaint_with_similar_text(app, client_for):
    first = ticket_number(file_complaint(
        app.test_client(), name="Asep", email="asep@contoh.id",
        text="CV Plastindo Jaya: kode KBLI di sertifikat standar talang PVC salah, tertulis 22230").get_data(as_text=True))
    file_complaint(app.test_client(), name="Dewi", email="dewi@contoh.id", text=TOILET)
    second = ticket_number(file_complaint(
        app.test_client(), name="Rudi", email="rudi@contoh.id",
        text="Sertifikat standar CV Plastindo Jaya untuk talang PVC mencantumkan KBLI 22230, mohon dikoreksi")
        .get_data(as_text=True))
    html = page(client_for("officer"), second)
    related = html.split("Tiket terkait")[1]
    assert first in related and "teks mirip" in related
    assert related.count("<li>") == 1  # the toilet complaint is not like it
