"""The outbox: queued on commit, delivered by a channel sender, retried, failures visible."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from channels.base import SENDERS, DeliveryError
from helpdesk.extensions import db
from helpdesk.intake.service import ingest
from helpdesk.outbox.models import OutboxItem
from helpdesk.outbox.service import deliver_pending, send_to_reporter
from helpdesk.timeutil import utcnow
from tests.factories import inbound


@pytest.fixture
def recorder():
    """A sender for a test-only channel name that records what it was asked to send."""
    sent, behaviour = [], {"fail": 0, "permanent": False}

    def send(message, config):
        if behaviour["fail"]:
            behaviour["fail"] -= 1
            raise DeliveryError("server said 451", permanent=behaviour["permanent"])
        sent.append(message)
        return f"ext-{len(sent)}"

    previous = SENDERS.get("email")
    SENDERS["email"] = send
    yield sent, behaviour
    if previous is None:
        SENDERS.pop("email")
    else:
        SENDERS["email"] = previous


def test_a_reply_goes_out_on_the_reporters_channel_threaded(app, recorder):
    sent, _ = recorder
    ticket = ingest(inbound(channel="email", external_id="<r1@contoh.id>")).ticket  # queues the acknowledgement
    send_to_reporter(ticket, "Berkas Anda sedang kami periksa.")
    db.session.commit()
    assert deliver_pending(worker="w1") == {"sent": 2, "retry": 0, "failed": 0}
    ack, msg = sent
    assert ack.kind == "ack" and ack.in_reply_to == "<r1@contoh.id>"
    assert msg.recipient == "budi@contoh.id" and msg.in_reply_to == ack.message_id
    assert msg.references == ("<r1@contoh.id>", ack.message_id)
    assert msg.subject.startswith(f"[{ticket.number}]") and msg.message_id.startswith("<")
    item = db.session.scalars(select(OutboxItem).order_by(OutboxItem.id)).all()[-1]
    assert item.status == "sent" and item.external_id == "ext-2"
    assert deliver_pending(worker="w1")["sent"] == 0  # nothing is sent twice


def test_failures_are_retried_with_backoff_then_shown_on_the_ticket(app, recorder):
    sent, behaviour = recorder
    ticket = ingest(inbound(channel="web")).ticket  # answered by e-mail, its contact
    send_to_reporter(ticket, "Jawaban")
    db.session.commit()
    behaviour["fail"] = 1
    assert deliver_pending(worker="w1")["retry"] == 1
    assert deliver_pending(worker="w1")["sent"] == 0  # not yet due again
    assert deliver_pending(worker="w1", now=utcnow() + timedelta(minutes=2))["sent"] == 1
    behaviour.update(fail=1, permanent=True)
    send_to_reporter(ticket, "Jawaban kedua")
    db.session.commit()
    assert deliver_pending(worker="w1")["failed"] == 1
    assert "delivery_failed" in [e.action for e in ticket.events]


def test_a_reporter_without_contact_reads_the_answer_on_the_status_page(app, recorder):
    ticket = ingest(inbound(name="Anonim", email=None, phone=None)).ticket
    message = send_to_reporter(ticket, "Terima kasih atas masukan Anda.")
    db.session.commit()
    assert message.public and db.session.scalar(select(OutboxItem)) is None
    assert ticket.events[-1].action == "sent_reply" and "halaman status" in ticket.events[-1].note
