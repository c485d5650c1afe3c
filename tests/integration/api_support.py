"""Helpers for the API tests: staff users with tokens, and a valid complaint body."""
from __future__ import annotations

import itertools

from helpdesk.api.tokens import issue
from helpdesk.extensions import db
from helpdesk.users.models import User

_keys = itertools.count(1)


def staff(role: str, email: str | None = None) -> tuple[User, dict]:
    """A committed staff user and the Authorization header of a fresh token for it."""
    user = User(email=email or f"{role}-{next(_keys)}@kantor.go.id", name=role.title(), role=role)
    db.session.add(user)
    db.session.flush()
    _, secret = issue(user, f"test {role}")
    db.session.commit()
    return user, {"Authorization": f"Bearer {secret}"}


def key() -> dict:
    return {"Idempotency-Key": f"client-key-{next(_keys)}"}


def complaint(**changes) -> dict:
    body = {
        "reporter": {"name": "Siti Rahma", "email": "siti@contoh.id", "phone": "0812-3456-7890"},
        "service": "sertifikasi-industri-hijau",
        "service_received_on": "2026-01-05",
        "subject": "Sertifikat belum terbit",
        "text": "Sertifikat industri hijau saya belum terbit padahal berkas lengkap sejak sebulan lalu.",
        "expected_outcome": "Sertifikat diterbitkan.",
    }
    body.update(changes)
    return body
