"""Every route is either public or limited to roles, and each role is refused where it may not go."""
from __future__ import annotations

import pytest
from flask import Blueprint
from werkzeug.routing import IntegerConverter

from helpdesk.tickets.models import Ticket
from tests.conftest import make_test_app
from tests.web.conftest import ROLES, file_complaint


def unmarked_endpoints(app) -> list[str]:
    """Endpoints whose view carries neither @public_route nor @roles_required."""
    out = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if not getattr(view, "public", False) and not getattr(view, "allowed_roles", None):
            out.append(rule.endpoint)
    return out


def staff_rules(app):
    # Logout ends the session, so it is walked last. The JSON API takes bearer tokens, not
    # sessions; tests/integration/test_api_roles.py walks it.
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint == "auth.logout"):
        if rule.rule.startswith("/api/"):
            continue
        view = app.view_functions[rule.endpoint]
        if getattr(view, "allowed_roles", None) and not getattr(view, "public", False):
            args = {a: 1 if isinstance(rule._converters[a], IntegerConverter) else "x" for a in rule.arguments}
            url = rule.build(args, append_unknown=False)[1]
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):  # GET and POST of a form page alike
                yield rule, view.allowed_roles, url, method


def test_every_endpoint_is_marked_public_or_role_limited(app):
    assert unmarked_endpoints(app) == []


def test_the_walk_catches_an_unmarked_view(tmp_path):
    fresh = make_test_app("sqlite://", tmp_path)
    bp = Blueprint("naked", __name__)
    bp.add_url_rule("/naked", "naked", lambda: "open")
    fresh.register_blueprint(bp)
    assert unmarked_endpoints(fresh) == ["naked.naked"]


def test_anonymous_visitors_are_sent_to_the_login_on_every_staff_route(app):
    client = app.test_client()
    rules = list(staff_rules(app))
    assert len(rules) > 15
    assert {("/admin/pengguna", "POST"), ("/sandi", "POST"), ("/petugas/catat", "POST")} <= {
        (rule.rule, method) for rule, _roles, _url, method in rules}  # every method, not one per rule
    for rule, _roles, url, method in rules:
        response = client.open(url, method=method)
        assert response.status_code in (302, 401), (rule, response.status_code)
        if response.status_code == 302:
            assert "/masuk" in response.headers["Location"], rule


@pytest.mark.parametrize("role", ROLES)
def test_each_role_is_refused_exactly_where_it_may_not_go(app, client_for, role):
    client = client_for(role)
    for rule, allowed, url, method in staff_rules(app):
        status = client.open(url, method=method).status_code
        if role in allowed:
            assert status != 403 and status != 401, (rule.rule, method, role, status)
        else:
            assert status == 403, (rule.rule, method, role, status)


def test_confidential_identity_is_masked_for_roles_that_do_not_handle_it(app, client_for):
    file_complaint(app.test_client(), confidential="1", name="Rahasia Sekali", email="rahasia@contoh.id")
    number = Ticket.query.one().number
    for role, visible in (("officer", True), ("supervisor", True), ("head", True), ("admin", False)):
        client = client_for(role)
        page = client.get(f"/petugas/tiket/{number}").get_data(as_text=True)
        queue = client.get("/petugas/").get_data(as_text=True)
        assert ("rahasia@contoh.id" in page) is visible, role
        assert ("Rahasia Sekali" in queue) is visible, role
        message_id = Ticket.query.one().messages[0].id
        assert client.get(f"/petugas/pesan/{message_id}/asli").status_code == (200 if visible else 403)


def test_a_confidential_identity_is_masked_in_texts_and_history_as_in_the_api(app, client_for, staff):
    """The reporter's name and contacts inside the text, the subject and the history are masked too."""
    from helpdesk.api import present
    from helpdesk.extensions import db
    from helpdesk.outbox.service import send_to_reporter
    from helpdesk.tickets import operations
    from helpdesk.users.models import User

    file_complaint(app.test_client(), confidential="1", name="Rahasia Sekali", email="rahasia@contoh.id",
                   text="Saya Rahasia Sekali (rahasia@contoh.id) dimintai uang tambahan oleh petugas loket.")
    ticket = Ticket.query.one()
    send_to_reporter(ticket, "Mohon kirimkan bukti pembayaran.", kind="reply", user=staff["officer"])
    holder = User(email="pemegang@kantor.go.id", role="officer", name="Pemegang")
    db.session.add(holder)
    db.session.commit()
    number = ticket.number
    admin = client_for("admin")
    for client in (admin,):
        page = client.get(f"/petugas/tiket/{number}").get_data(as_text=True)
        queue = client.get("/petugas/").get_data(as_text=True)
        assert "dimintai uang tambahan" in page and "dimintai uang tambahan" in queue
        for shown in (page, queue):
            assert "rahasia@contoh.id" not in shown and "Rahasia Sekali" not in shown
    officer = client_for("officer")
    assert "rahasia@contoh.id" in officer.get(f"/petugas/tiket/{number}").get_data(as_text=True)
    operations.assign(Ticket.query.one(), holder, user=staff["supervisor"])  # another officer holds it now
    db.session.commit()
    page = officer.get(f"/petugas/tiket/{number}").get_data(as_text=True)
    assert "rahasia@contoh.id" not in page and "Rahasia Sekali" not in page
    # one rule for the web pages and the API
    ticket = Ticket.query.one()
    for role in ROLES:
        assert present.may_see_identity(ticket, staff[role]) == (role in ("supervisor", "head")), role
    assert present.may_see_identity(ticket, holder)


def test_a_related_confidential_tickets_subject_is_masked_on_another_tickets_page(app, client_for):
    text = "dimintai uang tambahan oleh petugas loket perizinan saat mengurus izin usaha."
    file_complaint(app.test_client(), confidential="1", name="Rahasia Sekali", email="rahasia@contoh.id",
                   text="Rahasia Sekali " + text)
    file_complaint(app.test_client(), name="Budi Santoso", email="budi@contoh.id", text="Saya " + text)
    hidden, other = Ticket.query.order_by(Ticket.id).all()
    assert "Rahasia Sekali" in hidden.subject
    page = client_for("admin").get(f"/petugas/tiket/{other.number}").get_data(as_text=True)
    assert hidden.number in page  # still listed as related, by its similar text
    assert "Rahasia Sekali" not in page
    assert "Rahasia Sekali" in client_for("supervisor").get(f"/petugas/tiket/{other.number}").get_data(as_text=True)
