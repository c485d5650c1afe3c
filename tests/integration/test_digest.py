"""The morning digest to supervisors and the head: due today, overdue, waiting for approval."""
from __future__ import annotations

from sqlalchemy import select, update

from helpdesk.catalog.models import Unit
from helpdesk.extensions import db
from helpdesk.reminders.digest import send_digests
from helpdesk.tickets.models import Ticket
from helpdesk.triage.models import ApipRequest
from tests.integration.reminder_support import make_tickets, office, outbox, user, wib


def seed(people):
    """t1 due today and t2 overdue in Bidang Perizinan, t3 overdue elsewhere, t4 waiting for the head."""
    t1, t2, t3, t4 = make_tickets(4, wib(2026, 3, 2, 10, 0), due=wib(2026, 3, 27, 16, 30))
    other = Unit(name="Bidang Pengawasan", parent_id=people["kantor"].id)
    db.session.add(other)
    db.session.flush()
    for ticket_id, unit_id, due in ((t1, people["bidang"].id, wib(2026, 3, 27, 16, 30)),
                                    (t2, people["bidang"].id, wib(2026, 3, 17, 16, 0)),
                                    (t3, other.id, wib(2026, 3, 12, 16, 0)),
                                    (t4, None, wib(2026, 4, 10, 16, 30))):
        db.session.execute(update(Ticket).where(Ticket.id == ticket_id).values(unit_id=unit_id, due_at=due))
    db.session.add(ApipRequest(ticket_id=t4, reason="dugaan pungutan liar", forwarded_to="Inspektorat"))
    people["kabid"].unit_id = people["bidang"].id
    db.session.commit()
    return [db.session.get(Ticket, i).number for i in (t1, t2, t3, t4)]


def test_each_supervisor_gets_their_part_once_on_a_working_day_morning(app):
    people = office()
    n1, n2, n3, n4 = seed(people)
    user("kosong@kantor.go.id", "supervisor", unit_id=db.session.scalar(
        select(Unit.id).where(Unit.name == "Bidang Pengawasan")))
    db.session.execute(update(Ticket).where(Ticket.number == n3).values(status="answered"))  # not open
    db.session.commit()

    assert send_digests(wib(2026, 3, 27, 6, 59)) == {"skipped": "outside 07:00 – closing"}
    assert send_digests(wib(2026, 3, 27, 7, 5)) == {"sent": 3, "nothing": 1}
    (kabid,) = outbox(recipient="kabid@kantor.go.id")
    assert kabid.subject == ("Ringkasan pagi 27-03-2026: 1 jatuh tempo hari ini, 1 lewat tenggat, "
                             "0 menunggu persetujuan")
    assert n1 in kabid.text and n2 in kabid.text and n4 not in kabid.text
    (head,) = outbox(recipient="kepala@kantor.go.id")
    assert "Menunggu persetujuan APIP (1)" in head.text and n4 in head.text
    assert "Lewat tenggat (1)" in head.text and n3 not in head.text
    assert outbox(recipient="atasan@kantor.go.id")[0].text == head.text  # no unit: the whole office
    assert not outbox(recipient="kosong@kantor.go.id")  # nothing to report: no mail
    assert len(outbox(channel="telegram")) == 0  # Telegram is off in this office

    assert send_digests(wib(2026, 3, 27, 7, 20)) == {"already": 3, "nothing": 1}
    assert len(outbox(kind="notification")) == 3


def test_no_digest_on_weekends_and_cuti_bersama(app):
    people = office()
    seed(people)
    for day in (wib(2026, 3, 24, 7, 30), wib(2026, 3, 28, 7, 30)):  # cuti bersama Idul Fitri, Saturday
        assert send_digests(day) == {"skipped": "not a working day"}
    assert not outbox()


def test_the_digest_time_is_a_setting(app, monkeypatch):
    people = office()
    seed(people)
    monkeypatch.setitem(app.config, "DIGEST_TIME", "08:00")
    assert send_digests(wib(2026, 3, 27, 7, 30)) == {"skipped": "outside 08:00 – closing"}
    assert send_digests(wib(2026, 3, 27, 16, 30)) == {"skipped": "outside 08:00 – closing"}  # Friday closing
    assert send_digests(wib(2026, 3, 27, 9, 0))["sent"] == 3
