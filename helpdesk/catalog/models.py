"""The office's configuration: components (R4), services, units and calendar changes."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from helpdesk.extensions import db


class Component(db.Model):
    """A service-standard component (R4): what kind of problem a complaint is about."""

    __tablename__ = "components"
    slug: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_id: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    group: Mapped[str] = mapped_column(String(20))  # service_delivery | management | other
    position: Mapped[int] = mapped_column(Integer, default=0)

    def __repr__(self) -> str:
        return f"<Component {self.slug}>"


class Unit(db.Model):
    """An internal unit, a technical team / other agency, or the APIP.

    Internal units form the escalation chain through ``parent_id``: staff in a unit,
    then the unit's head, then the unit above, up to the head of office (no parent).
    """

    __tablename__ = "units"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default="internal")  # internal | technical | apip
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", use_alter=True))
    email: Mapped[str | None] = mapped_column(String(254))  # where forwarded cases are sent
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    parent: Mapped["Unit | None"] = relationship(remote_side=[id])
    lead = relationship("User", foreign_keys=[lead_id], post_update=True)

    def chain(self) -> list["Unit"]:
        """This unit and every unit above it, ending at the office head's unit."""
        seen, unit, out = set(), self, []
        while unit is not None and unit.id not in seen:
            seen.add(unit.id)
            out.append(unit)
            unit = unit.parent
        return out

    def __repr__(self) -> str:
        return f"<Unit {self.id} {self.name!r} {self.kind}>"


class Service(db.Model):
    """A service of the office's catalogue (bidang / sektor / jenis pelayanan)."""

    __tablename__ = "services"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(250))
    description: Mapped[str] = mapped_column(Text, default="")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    unit: Mapped[Unit | None] = relationship()

    def __repr__(self) -> str:
        return f"<Service {self.slug}>"


class CalendarChange(db.Model):
    """An office change to the national calendar: an added closure or a removed holiday."""

    __tablename__ = "calendar_changes"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    closed: Mapped[bool] = mapped_column(Boolean)  # True: office closed (added); False: open (removed)
    name: Mapped[str] = mapped_column(String(200), default="")

    def __repr__(self) -> str:
        return f"<CalendarChange {self.day} closed={self.closed}>"
