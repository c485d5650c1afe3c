"""Claiming rows for one worker, atomically, on PostgreSQL and SQLite alike.

PostgreSQL: ``FOR UPDATE SKIP LOCKED`` in a materialised CTE lets workers claim disjoint
batches without waiting. (In a plain ``id IN (subquery)`` the planner may run the sub-select
once per outer row; with SKIP LOCKED each run returns other rows, so one UPDATE would claim
far more than ``limit`` while another worker holds locks.) SQLite: one UPDATE statement is
atomic (writers are serialised), and the outer WHERE repeats the readiness test, so a row is
claimed by one worker only.
"""
from __future__ import annotations

from sqlalchemy import select, update

from helpdesk.extensions import db


def claim_ids(model, *, ready: list, order_by: list, limit: int, values: dict) -> list[int]:
    """Set ``values`` on up to ``limit`` rows matching ``ready``; return the claimed ids."""
    sub = select(model.id).where(*ready).order_by(*order_by).limit(limit)
    if db.session.get_bind().dialect.name == "postgresql":
        batch = sub.with_for_update(skip_locked=True).cte("claimable").prefix_with("MATERIALIZED")
        stmt = update(model).where(model.id == batch.c.id, *ready)
    else:
        stmt = update(model).where(model.id.in_(sub.scalar_subquery()), *ready)
    stmt = stmt.values(**values).returning(model.id).execution_options(synchronize_session=False)
    return list(db.session.execute(stmt).scalars())
