"""Web fixtures: a logged-in client per role, and a citizen's filed complaint."""
from __future__ import annotations

import re

import pytest

from helpdesk.extensions import db
from helpdesk.users.models import User

PASSWORD = "kata-sandi-yang-panjang"
ROLES = ("officer", "supervisor", "head", "admin")


@pytest.fixture
def staff(app):
    """One active user per role, e-mail '<role>@kantor.go.id'."""
    users = {}
    for role in ROLES:
        user = User(email=f"{role}@kantor.go.id", role=role, name=role.title())
        user.set_password(PASSWORD)
        db.session.add(user)
        users[role] = user
    db.session.commit()
    return users


def login(client, email: str, password: str = PASSWORD):
    return client.post("/masuk", data={"email": email, "password": password})


@pytest.fixture
def client_for(app, staff):
    """client_for('officer') -> a test client logged in with that role."""
    def make(role: str):
        client = app.test_client()
        assert login(client, staff[role].email).status_code == 302
        return client
    return make


def token_field(html: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def file_complaint(client, **overrides):
    """Fill in the public form like a citizen; returns the receipt response (followed)."""
    page = client.get("/lapor").get_data(as_text=True)
    data = {"token": token_field(page), "name": "Siti Aminah", "email": "siti@contoh.id", "phone": "",
            "service": "", "service_date": "", "text": "Izin usaha saya belum terbit padahal sudah lewat jadwal.",
            "expected": "Izin segera diterbitkan.", "consent": "1"}
    data.update(overrides)
    return client.post("/lapor", data=data, content_type="multipart/form-data", follow_redirects=True)


def receipt_link(html: str) -> str:
    return re.search(r'id="tracking-link" href="([^"]+)"', html).group(1).replace("&amp;", "&")


def ticket_number(html: str) -> str:
    return re.search(r"ADU-\d{4}-\d{6}", html).group(0)
