"""Flask-Limiter caps the public form and the login (in a child process: the limiter is global)."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent("""
    from helpdesk import create_app
    from helpdesk.extensions import db
    app = create_app({"ENV": "testing", "DATABASE_URL": "sqlite://", "RATELIMIT_ENABLED": True,
                      "COMPLAINT_FORM_RATE_LIMIT": "3 per minute", "LOGIN_RATE_LIMIT": "2 per minute"})
    with app.app_context():
        db.create_all()
    client = app.test_client()
    form = [client.post("/lapor", data={"token": "t" * 24, "text": "x"}).status_code for _ in range(4)]
    login = [client.post("/masuk", data={"email": "a@b.id", "password": "x"}).status_code for _ in range(3)]
    print(form, login, client.get("/lapor").status_code)
""")


def test_the_form_and_the_login_answer_429_past_their_limits():
    out = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[-2] == "[422, 422, 422, 429] [401, 401, 429] 200"
