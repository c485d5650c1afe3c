"""Each channel's health, for the admin's channel status page: on/off, last poll, last error."""
from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import Boolean, String, Text, or_, select
from sqlalchemy.orm import Mapped, mapped_column

from helpdesk.extensions import db
from helpdesk.timeutil import UTCDateTime, utcnow

logger = logging.getLogger(__name__)


class ChannelState(db.Model):
    __tablename__ = "channel_states"
    name: Mapped[str] = mapped_column(String(60), primary_key=True)  # "email:pengaduan@…", "telegram"
    enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    detail: Mapped[str] = mapped_column(Text, default="")  # why off, or what it is connected to
    last_poll_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_ok_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<ChannelState {self.name} enabled={self.enabled}>"


def _state(name: str) -> ChannelState:
    state = db.session.get(ChannelState, name)
    if state is None:
        state = ChannelState(name=name)
        db.session.add(state)
    return state


def set_enabled(name: str, enabled: bool, detail: str = "") -> None:
    """Say whether a channel runs, and why not (e.g. 'no credentials configured'); commits."""
    state = _state(name)
    state.enabled, state.detail = enabled, detail
    db.session.commit()


def record_poll(name: str, error: str | None = None, *, now: datetime | None = None) -> None:
    """Note a poll's outcome; commits on its own so a failing poll still leaves its trace."""
    now = now or utcnow()
    state = _state(name)
    state.last_poll_at = now
    if error:
        state.last_error, state.last_error_at = error[:2000], now
    else:
        state.last_ok_at = now
    db.session.commit()


def announce(app, states: dict[str, tuple[bool, str]], *, family: str | None = None) -> None:
    """At start-up, record which channels run and why the others do not.

    With ``family`` (e.g. "email"), states of that family no longer configured are switched off.
    A database without its tables yet (before init-db) is logged, not fatal: the app still starts.
    """
    with app.app_context():
        try:
            for name, (enabled, detail) in states.items():
                set_enabled(name, enabled, detail)
            if family:
                stale = db.session.scalars(select(ChannelState).where(
                    or_(ChannelState.name == family, ChannelState.name.like(f"{family}:%")),
                    ChannelState.name.notin_(list(states)))).all()
                for state in stale:
                    set_enabled(state.name, False, "no longer configured")
        except Exception as exc:  # e.g. the schema is not migrated yet: start anyway
            db.session.rollback()
            logger.info("channel states not recorded (has init-db run?): %s", getattr(exc, "orig", exc))
        finally:
            db.session.remove()
