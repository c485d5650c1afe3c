"""Staff accounts with roles."""
from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from helpdesk.extensions import db
from helpdesk.timeutil import UTCDateTime, utcnow


ROLES = ("officer", "supervisor", "head", "admin")  # the values of rules.routing.Role


class User(UserMixin, db.Model):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20))  # officer | supervisor | head | admin
    password_hash: Mapped[str] = mapped_column(String(256), default="")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    telegram_chat_id: Mapped[str | None] = mapped_column(String(64))  # linked for notifications
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    unit = relationship("Unit", foreign_keys=[unit_id])

    @property
    def is_active(self) -> bool:  # Flask-Login: deactivated staff cannot log in
        return self.active

    def set_password(self, password: str) -> None:
        if len(password) < 10:
            raise ValueError("password must be at least 10 characters")
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    @property
    def role_enum(self):
        from helpdesk.rules.routing import Role
        return Role(self.role)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role}>"
