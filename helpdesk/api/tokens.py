"""Issuing, checking and revoking staff API tokens, and their CLI commands."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from helpdesk.api.models import ApiToken
from helpdesk.extensions import db
from helpdesk.timeutil import utcnow

PREFIX = "hdk_"  # recognisable in logs and secret scanners
TOUCH_EVERY = timedelta(minutes=1)  # last_used_at is refreshed at most this often


def digest(token: str) -> str:
    """The sha256 under which a token is stored and looked up."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def issue(user, name: str) -> tuple[ApiToken, str]:
    """Create a token for ``user``; returns the row and the secret (shown only now); flushes."""
    secret = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, name=name.strip()[:120] or "api", token_sha256=digest(secret))
    db.session.add(row)
    db.session.flush()
    return row, secret


def authenticate(header: str | None):
    """The active user a ``Bearer`` Authorization header stands for, or None."""
    if not header or not header.startswith("Bearer "):
        return None
    secret = header[len("Bearer "):].strip()
    if not secret or len(secret) > 200:
        return None
    row = db.session.scalar(select(ApiToken).filter_by(token_sha256=digest(secret)))
    if row is None or row.revoked_at is not None or row.user is None or not row.user.is_active:
        return None
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at > TOUCH_EVERY:
        row.last_used_at = now
        db.session.commit()
    return row.user


@click.command("create-api-token")
@click.option("--email", required=True, help="the staff account the token acts as")
@click.option("--name", required=True, help="what the token is for, e.g. 'portal kabupaten'")
@with_appcontext
def create_api_token(email: str, name: str) -> None:
    """Create a staff API token and print it once (only its sha256 is kept)."""
    from helpdesk.users.models import User

    user = db.session.scalar(select(User).filter_by(email=email.strip().lower()))
    if user is None:
        raise click.BadParameter(f"no staff account {email!r}", param_hint="--email")
    row, secret = issue(user, name)
    db.session.commit()
    click.echo(f"token {row.id} for {user.email} ({user.role}), shown only once:", err=True)
    click.echo(secret)


@click.command("revoke-api-token")
@click.argument("token_id", type=int)
@with_appcontext
def revoke_api_token(token_id: int) -> None:
    """Revoke a staff API token by its id; it stops working at once."""
    row = db.session.get(ApiToken, token_id)
    if row is None:
        raise click.BadParameter(f"no API token {token_id}", param_hint="TOKEN_ID")
    row.revoked_at = row.revoked_at or utcnow()
    db.session.commit()
    click.echo(f"token {row.id} ({row.name}) revoked")
