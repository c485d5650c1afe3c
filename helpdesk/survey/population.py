"""The survey population: applicants served in a period, from the counts the office enters per month.

A period's population is the sum of the monthly counts of every month it touches, for the
services in scope: one service, the services of one unit (``Service.unit_id``), or every
active service. It is known only when each of those services has a count (0 allowed) for
each of those months; otherwise the report names the missing months and makes no sample check.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from helpdesk.catalog.models import Service
from helpdesk.extensions import db
from helpdesk.reports.periods import Period
from helpdesk.survey.ikm import krejcie_morgan
from helpdesk.survey.models import ServedCount


@dataclass(frozen=True)
class Population:
    served: int | None  # None while a month is missing
    missing: tuple[date, ...]  # months (first days) without a count for every service in scope
    required: int | None  # the Krejcie-Morgan minimum sample for ``served``


def scope(service_id: int | None = None, unit_id: int | None = None) -> list[int]:
    """The service ids a report covers: one service, or the active services (of one unit)."""
    if service_id is not None:
        return [service_id]
    query = select(Service.id).where(Service.active.is_(True))  # the ones the admin enters counts for
    if unit_id is not None:
        query = query.where(Service.unit_id == unit_id)
    return list(db.session.scalars(query))


def population(period: Period, service_id: int | None = None, unit_id: int | None = None) -> Population:
    """The served applicants of the period in scope, and the minimum number of respondents."""
    services = scope(service_id, unit_id)
    months = period.months()
    if not services:
        return Population(None, tuple(months), None)
    rows = db.session.execute(
        select(ServedCount.month, func.count(), func.sum(ServedCount.served))
        .where(ServedCount.service_id.in_(services), ServedCount.month.in_(months))
        .group_by(ServedCount.month)).all()
    have = {m: (n, total) for m, n, total in rows}
    missing = tuple(m for m in months if have.get(m, (0, 0))[0] < len(services))
    if missing:
        return Population(None, missing, None)
    served = sum(int(total or 0) for _, total in have.values())
    return Population(served, (), krejcie_morgan(served))


def save_counts(values: dict[tuple[date, int], int | None], *, user_email: str) -> int:
    """Set (month, service) -> count; None removes a count. Returns the number of rows changed."""
    changed = 0
    existing = {(c.month, c.service_id): c for c in db.session.scalars(
        select(ServedCount).where(ServedCount.month.in_({m for m, _ in values})))}
    for (month, service_id), served in values.items():
        row = existing.get((month, service_id))
        if served is None:
            if row is not None:
                db.session.delete(row)
                changed += 1
        elif row is None:
            db.session.add(ServedCount(month=month, service_id=service_id, served=served, updated_by=user_email))
            changed += 1
        elif row.served != served:
            row.served, row.updated_by = served, user_email
            changed += 1
    db.session.flush()
    return changed
