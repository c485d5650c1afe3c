"""Hostile input: markup in every field rendered inert, SQL-looking text, bad uploads, missing CSRF."""
from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import pytest

from helpdesk.extensions import db
from helpdesk.tickets.models import Attachment, Ticket
from tests.web.conftest import file_complaint, receipt_link, token_field

PAYLOADS = ['<script>alert("xss")</script>', '"><img src=x onerror=alert(1)>', "<svg/onload=alert(1)>",
            "javascript:alert(1)", "' onmouseover='alert(1)"]
FIELDS = ("name", "text", "expected", "phone", "email", "service", "service_date")


class _Markup(HTMLParser):
    """Collects the tags and attributes a browser would build from the page."""

    def __init__(self):
        super().__init__()
        self.tags, self.handlers, self.urls = set(), [], []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.handlers += [name for name, _ in attrs if name.startswith("on")]
        self.urls += [v for name, v in attrs if name in ("href", "src", "action") and v
                      and v.strip().lower().startswith("javascript:")]


def assert_inert(html: str) -> None:
    """No markup from the payloads became markup: no script/img/svg, no handlers, no javascript: URLs."""
    parser = _Markup()
    parser.feed(html)
    assert not parser.tags & {"script", "img", "svg", "iframe"}, parser.tags
    assert parser.handlers == [] and parser.urls == []


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markup_in_every_field_is_rendered_inert_everywhere(app, client_for, payload):
    citizen = app.test_client()
    # Invalid fields (e-mail, phone, service, date) come back on the form with the error.
    for field in FIELDS:
        response = file_complaint(app.test_client(), **{field: payload})
        assert_inert(response.get_data(as_text=True))
    response = file_complaint(citizen, name=payload, text=f"Izin saya ditolak {payload} tanpa alasan",
                              expected=payload)
    html = response.get_data(as_text=True)
    assert_inert(html)
    ticket = db.session.scalars(db.select(Ticket).order_by(Ticket.id.desc())).first()
    assert payload in ticket.messages[0].text  # kept verbatim, only escaped on output
    citizen.get(receipt_link(html))
    assert_inert(citizen.get(f"/status/{ticket.number}").get_data(as_text=True))
    officer = client_for("officer")
    for url in ("/petugas/", f"/petugas/tiket/{ticket.number}", f"/petugas/?q={payload}", "/statistik",
                "/atasan/"):
        assert_inert(officer.get(url).get_data(as_text=True))
    officer.post(f"/petugas/tiket/{ticket.number}/aksi/note", data={"text": payload})
    officer.post(f"/petugas/tiket/{ticket.number}/aksi/status", data={"target": "verified", "note": payload})
    assert_inert(officer.get(f"/petugas/tiket/{ticket.number}").get_data(as_text=True))


def test_sql_looking_input_is_stored_as_text_and_searched_safely(app, client_for):
    nasty = "Robert'); DROP TABLE tickets; -- OR 1=1 %_\\"
    file_complaint(app.test_client(), name=nasty, text=f"Layanan lambat {nasty}")
    ticket = db.session.scalars(db.select(Ticket)).one()
    assert nasty in ticket.messages[0].text and ticket.reporter.name == nasty
    officer = client_for("officer")
    for q in (nasty, "' OR '1'='1", "%", "_", "\\"):
        assert officer.get("/petugas/", query_string={"q": q}).status_code == 200
    html = officer.get("/petugas/", query_string={"q": "' OR 'x'='x"}).get_data(as_text=True)
    assert "Tidak ada tiket." in html
    assert officer.get("/petugas/", query_string={"q": "DROP TABLE"}).get_data(as_text=True).count(">ADU-") == 1
    assert db.session.scalar(db.select(db.func.count(Ticket.id))) == 1


@pytest.mark.parametrize("name, data, why", [
    ("bukti.pdf", b"\x89PNG\r\n\x1a\nnot a pdf", "tidak sesuai"),
    ("foto.png", b"<html><script>alert(1)</script></html>", "tidak sesuai"),
    ("halaman.html", b"<html></html>", "tidak diizinkan"),
    ("program.exe", b"MZ\x90\x00", "tidak diizinkan"),
    ("catatan.txt", b"\x00\x01\x02binary", "tidak sesuai"),
    ("kosong.pdf", b"", "kosong"),
])
def test_mislabelled_and_forbidden_uploads_are_refused(app, name, data, why):
    response = file_complaint(app.test_client(), attachments=(io.BytesIO(data), name))
    assert response.status_code == 422 and why in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Ticket.id))) == 0


def test_oversized_uploads_are_refused(app):
    big = b"%PDF-1.4 " + b"0" * app.config["UPLOAD_MAX_BYTES"]
    response = file_complaint(app.test_client(), attachments=(io.BytesIO(big), "besar.pdf"))
    assert response.status_code == 422 and "lebih besar" in response.get_data(as_text=True)
    huge = b"%PDF-1.4 " + b"0" * app.config["MAX_CONTENT_LENGTH"]
    response = file_complaint(app.test_client(), attachments=(io.BytesIO(huge), "raksasa.pdf"))
    assert response.status_code == 413
    assert db.session.scalar(db.select(db.func.count(Ticket.id))) == 0


def test_path_traversal_file_names_are_flattened(app, client_for):
    for name in ("../../../etc/passwd.txt", "..\\..\\windows\\win.ini.txt"):
        file_complaint(app.test_client(), attachments=(io.BytesIO(b"isi biasa"), name),
                       text=f"Lampiran dengan nama {name} untuk diuji")
    names = sorted(a.filename for a in db.session.scalars(db.select(Attachment)))
    assert len(names) == 2 and names[0] == "passwd.txt" and names[1].endswith("win.ini.txt")
    assert not any("/" in n or "\\" in n or n.startswith(".") for n in names)
    att = db.session.scalars(db.select(Attachment)).first()
    response = client_for("officer").get(f"/petugas/lampiran/{att.id}")
    assert "/" not in response.headers["Content-Disposition"].split("filename=")[1]


def test_a_post_without_the_csrf_token_is_refused(app, staff):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        client = app.test_client()
        page = client.get("/lapor").get_data(as_text=True)
        data = {"token": token_field(page), "text": "Pelayanan loket sangat lambat sekali hari ini.", "consent": "1",
                "name": "Budi", "email": "budi@contoh.id"}
        assert client.post("/lapor", data=data).status_code == 400
        assert client.post("/masuk", data={"email": "officer@kantor.go.id", "password": "x"}).status_code == 400
        assert db.session.scalar(db.select(db.func.count(Ticket.id))) == 0
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        assert client.post("/lapor", data={**data, "csrf_token": csrf}).status_code == 303
        assert db.session.scalar(db.select(db.func.count(Ticket.id))) == 1
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


@pytest.mark.parametrize("value", ["²", "¹2", "9" * 30])
def test_odd_numbers_in_query_strings_are_ignored_or_refused_never_a_server_error(app, client_for, value):
    officer, head = client_for("officer"), client_for("head")
    for name in ("service", "unit", "assignee"):
        assert officer.get("/petugas/", query_string={name: value}).status_code == 200, name
    assert officer.get("/petugas/karantina", query_string={"sebelum": value}).status_code == 200
    for name in ("layanan", "unit", "tahun"):
        assert head.get("/laporan/", query_string={name: value}).status_code in (200, 400), name
    assert head.get("/laporan/populasi", query_string={"tahun": value}).status_code in (200, 404)
