"""Staff reading tickets through /api/v1 with bearer tokens: pages, filters, masking, tokens."""
from __future__ import annotations

import json

from sqlalchemy import select

from helpdesk import create_app
from helpdesk.api.models import ApiToken
from helpdesk.extensions import db
from helpdesk.intake.service import ingest
from helpdesk.tickets import operations
from helpdesk.tickets.models import Ticket
from helpdesk.timeutil import utcnow
from tests.factories import inbound
from tests.integration.api_support import staff


def _ticket(**kw) -> Ticket:
    return ingest(inbound(**kw)).ticket


def test_list_pages_with_a_cursor_and_filters(app):
    _, auth = staff("officer")
    numbers = [_ticket(channel="web" if i % 2 else "email").number for i in range(7)]
    client, seen, after = app.test_client(), [], None
    while True:
        res = client.get("/api/v1/tickets", query_string={"limit": 3, **({"after": after} if after else {})},
                         headers=auth)
        assert res.status_code == 200
        seen += [t["number"] for t in res.json["items"]]
        after = res.json["next"]
        if after is None:
            break
    assert seen == list(reversed(numbers))  # newest first, each once
    web = client.get("/api/v1/tickets?channel=web&status=received", headers=auth).json["items"]
    assert [t["number"] for t in web] == [numbers[5], numbers[3], numbers[1]]
    assert client.get("/api/v1/tickets?service=sertifikasi-industri-hijau", headers=auth).json["items"] == []
    huge = client.get("/api/v1/tickets?after=999999999999999999", headers=auth)  # beyond a 32-bit id
    assert huge.status_code == 200 and len(huge.json["items"]) == 7


def test_bad_filters_are_422_with_the_fields(app):
    _, auth = staff("supervisor")
    res = app.test_client().get("/api/v1/tickets?limit=1000&status=lost&after=abc&kind=x", headers=auth)
    assert res.status_code == 422
    assert {e["field"] for e in res.json["fields"]} == {"limit", "status", "after", "kind"}
    for query in ("limit=0", "limit=-1", "statuss=received", "limit=%D9%A3", "after=1;DROP TABLE tickets", "service=" + "s" * 81):
        assert app.test_client().get("/api/v1/tickets?" + query, headers=auth).status_code == 422, query


def test_detail_has_messages_and_events_but_no_raw_bytes_or_hashes(app):
    _, auth = staff("head")
    ticket = _ticket(raw=b"From: budi@contoh.id\r\n\r\nisi asli")
    res = app.test_client().get(f"/api/v1/tickets/{ticket.number}", headers=auth)
    assert res.status_code == 200
    body = res.json
    assert body["reporter"] == {"masked": False, "name": "Budi Santoso",
                                "contacts": [{"kind": "email", "value": "budi@contoh.id"}]}
    assert body["messages"][0]["sender"] == "budi@contoh.id" and body["events"][0]["action"] == "created"
    dumped = json.dumps(body)
    assert "isi asli" not in dumped and ticket.tracking_token_hash not in dumped
    assert "raw" not in body["messages"][0] and "sha256" not in dumped
    assert app.test_client().get("/api/v1/tickets/ADU-1999-000009", headers=auth).status_code == 404


def test_confidential_identity_is_masked_for_admins_and_unassigned_officers(app):
    assigned, assigned_auth = staff("officer")
    _, other_auth = staff("officer")
    _, admin_auth = staff("admin")
    _, supervisor_auth = staff("supervisor")
    msg = inbound(text="Saya Budi Santoso (budi@contoh.id, HP 0812-3456 7890) dimintai uang tambahan "
                       "oleh petugas loket. Hubungi Pak Budi di +62 812 3456 7890.", phone="081234567890")
    msg = type(msg)(**{**msg.__dict__, "confidential": True})
    ticket = ingest(msg).ticket
    operations.assign(ticket, assigned)
    db.session.commit()
    url = f"/api/v1/tickets/{ticket.number}"
    client = app.test_client()
    for auth in (other_auth, admin_auth):
        body = client.get(url, headers=auth).json
        dumped = json.dumps(body)
        assert body["reporter"]["masked"] is True
        assert "Budi" not in dumped and "budi@contoh.id" not in dumped, dumped
        # the number as written in the text, not "3456" alone: a timestamp such as 21:34:56 holds that
        assert not any(p in dumped for p in ("0812-3456 7890", "812 3456 7890", "81234567890"))
        assert "dimintai uang tambahan" in dumped
        listed = client.get("/api/v1/tickets", headers=auth).json["items"][0]
        assert listed["reporter"]["masked"] is True and "budi" not in json.dumps(listed).lower()
    for auth in (assigned_auth, supervisor_auth):
        body = client.get(url, headers=auth).json
        assert body["reporter"]["name"] == "Budi Santoso" and "budi@contoh.id" in json.dumps(body)


def test_tokens_refuse_when_missing_wrong_revoked_or_the_user_is_inactive(app):
    user, auth = staff("officer")
    client = app.test_client()
    missing = client.get("/api/v1/tickets")
    assert missing.status_code == 401 and missing.json["error"] == "authentication required"
    assert missing.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/api/v1/tickets", headers={"Authorization": "Bearer hdk_salah"}).status_code == 401
    assert client.get("/api/v1/tickets", headers={"Authorization": "Basic eDp5"}).status_code == 401
    assert client.get("/api/v1/tickets", headers=auth).status_code == 200
    row = db.session.scalar(select(ApiToken).filter_by(user_id=user.id))
    assert row.last_used_at is not None
    user.active = False
    db.session.commit()
    assert client.get("/api/v1/tickets", headers=auth).status_code == 401
    user.active = True
    row.revoked_at = utcnow()
    db.session.commit()
    assert client.get("/api/v1/tickets", headers=auth).status_code == 401


def test_a_browser_session_does_not_open_the_api(app):
    from flask_login import FlaskLoginClient
    user, _ = staff("head")
    app.test_client_class = FlaskLoginClient
    try:
        assert app.test_client(user=user).get("/api/v1/tickets").status_code == 401
    finally:
        app.test_client_class = None


def test_cli_creates_a_token_printed_once_and_revokes_it(app):
    user, _ = staff("supervisor", email="atasan@kantor.go.id")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-api-token", "--email", "Atasan@kantor.go.id", "--name", "portal"])
    assert result.exit_code == 0, result.output
    secret = result.stdout.strip().splitlines()[-1]
    row = db.session.scalar(select(ApiToken).filter_by(name="portal"))
    assert secret.startswith("hdk_") and secret not in (row.token_sha256, "") and row.user_id == user.id
    auth = {"Authorization": f"Bearer {secret}"}
    assert app.test_client().get("/api/v1/tickets", headers=auth).status_code == 200
    assert runner.invoke(args=["revoke-api-token", str(row.id)]).exit_code == 0
    assert app.test_client().get("/api/v1/tickets", headers=auth).status_code == 401
    bad = runner.invoke(args=["create-api-token", "--email", "tidak@ada.id", "--name", "x"])
    assert bad.exit_code != 0 and "no staff account" in bad.output


def test_rate_limit_answers_429_in_json(app, database_url, tmp_path):
    from helpdesk.extensions import limiter
    limited = create_app({"ENV": "testing", "DATABASE_URL": database_url, "ATTACHMENT_DIR": str(tmp_path),
                          "RATELIMIT_ENABLED": True, "API_RATE_LIMIT": "3/minute"})
    try:
        client = limited.test_client()
        codes = [client.get("/api/v1/tickets/ADU-2026-000001/status").status_code for _ in range(4)]
        assert codes == [404, 404, 404, 429]
        res = client.get("/api/v1/openapi.json")
        assert res.status_code == 429 and res.json["error"] == "too_many_requests" and "Retry-After" in res.headers
    finally:
        limiter.enabled = False
        limiter.reset()
        with limited.app_context():
            db.engine.dispose()


def test_filing_has_its_own_tighter_limit_on_top(app, database_url, tmp_path):
    from helpdesk.extensions import limiter
    limited = create_app({"ENV": "testing", "DATABASE_URL": database_url, "ATTACHMENT_DIR": str(tmp_path),
                          "RATELIMIT_ENABLED": True, "API_RATE_LIMIT": "5/minute",
                          "API_FILING_RATE_LIMIT": "2/minute"})
    try:
        client = limited.test_client()
        codes = [client.post("/api/v1/complaints", data=b"{", headers={"Idempotency-Key": "k"}).status_code
                 for _ in range(3)]
        assert codes == [400, 400, 429]
        codes = [client.get("/api/v1/openapi.json").status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]  # the shared API limit counted the two filings let through
    finally:
        limiter.enabled = False
        limiter.reset()
        with limited.app_context():
            db.engine.dispose()


def test_control_characters_in_lookups_are_no_match_never_a_database_error(app):
    _, auth = staff("officer")
    _ticket()
    client = app.test_client()
    res = client.get("/api/v1/tickets?service=a%00b&component=%00", headers=auth)
    assert res.status_code == 200 and res.json == {"items": [], "next": None}
    assert client.get("/api/v1/tickets/ADU%00-1", headers=auth).status_code == 404
    assert client.get("/api/v1/tickets/ADU%00-1/status?token=x").status_code == 404
    res = client.post("/api/v1/complaints", json={"text": "isi laporan yang cukup panjang", "service": "a\x00"},
                      headers={"Idempotency-Key": "k"})
    assert res.status_code == 422 and res.json["fields"][0]["field"] == "service"
