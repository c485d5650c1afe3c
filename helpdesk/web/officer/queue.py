"""The queue query: filters, full-text search and keyset pagination over (received_at, id) or (due_at, id)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import exists, func, literal_column, or_, select, tuple_
from sqlalchemy.orm import load_only, selectinload

from helpdesk.inputs import whole_number
from helpdesk.tickets import clock
from helpdesk.tickets.models import Message, Reporter, Ticket

SORTS = ("received", "due")
FILTERS = ("status", "kind", "channel", "service", "component", "tier", "unit", "assignee", "due")


@dataclass
class QueueQuery:
    """What the officer asked for, as plain values (parsed from the query string)."""

    filters: dict[str, str] = field(default_factory=dict)
    q: str = ""
    sort: str = "received"
    after: tuple[datetime, int] | None = None  # the last row of the previous page
    limit: int = 50


def parse_cursor(raw: str | None) -> tuple[datetime, int] | None:
    """'<iso time>|<id>' back into a key; anything malformed means the first page."""
    if not raw or "|" not in raw:
        return None
    at, _, ident = raw.rpartition("|")
    try:
        when = datetime.fromisoformat(at)
        return (when, int(ident)) if when.tzinfo else None
    except ValueError:
        return None


def cursor_of(ticket: Ticket, sort: str) -> str:
    key = ticket.due_at if sort == "due" else ticket.received_at
    return f"{key.isoformat()}|{ticket.id}"


def _search(q: str, dialect: str):
    """Ticket number, subject or any message text; PostgreSQL full text, a LIKE elsewhere."""
    q = q.strip()[:200]
    if dialect == "postgresql":
        simple = literal_column("'simple'")  # a literal, so the planner matches the GIN expression indexes
        query = func.plainto_tsquery(simple, q)
        in_messages = exists().where(Message.ticket_id == Ticket.id,
                                     func.to_tsvector(simple, Message.text).op("@@")(query))
        return or_(Ticket.number == q.upper(), func.to_tsvector(simple, Ticket.subject).op("@@")(query),
                   in_messages)
    pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    in_messages = exists().where(Message.ticket_id == Ticket.id, Message.text.like(pattern, escape="\\"))
    return or_(Ticket.number == q.upper(), Ticket.subject.like(pattern, escape="\\"), in_messages)


def build(query: QueueQuery, *, now: datetime, soon: datetime, user_id: int | None, dialect: str):
    """The SELECT for one page (limit + 1 rows: the extra one says a next page exists)."""
    f = query.filters
    conds = []
    for name in ("status", "kind", "channel", "component", "tier"):
        if f.get(name):
            conds.append(getattr(Ticket, name) == f[name])
    for name, col in (("service", Ticket.service_id), ("unit", Ticket.unit_id)):
        if (number := whole_number(f.get(name))) is not None:
            conds.append(col == number)
    assignee = f.get("assignee", "")
    if assignee == "me":
        conds.append(Ticket.assignee_id == user_id)
    elif assignee == "none":
        conds.append(Ticket.assignee_id.is_(None))
    elif (number := whole_number(assignee)) is not None:
        conds.append(Ticket.assignee_id == number)
    if f.get("due") == "overdue":  # a paused ticket waits for the reporter: never overdue meanwhile
        conds += clock.overdue(now)
    elif f.get("due") == "soon":
        conds += [*clock.running(), Ticket.due_at >= now, Ticket.due_at <= soon]
    if query.q.strip():
        conds.append(_search(query.q, dialect))
    if query.sort == "due":
        key = Ticket.due_at
        conds.append(Ticket.due_at.is_not(None))  # suggestions carry no clock
        if query.after:  # a row-value comparison walks the (due_at, id) index directly
            conds.append(tuple_(Ticket.due_at, Ticket.id) > tuple_(*query.after))
        order = (key.asc(), Ticket.id.asc())
    else:
        if query.after:
            conds.append(tuple_(Ticket.received_at, Ticket.id) < tuple_(*query.after))
        order = (Ticket.received_at.desc(), Ticket.id.desc())
    return (select(Ticket).where(*conds).order_by(*order).limit(query.limit + 1)
            .options(load_only(*ROW_COLUMNS), selectinload(Ticket.reporter).selectinload(Reporter.contacts)))


# What a queue row shows and needs (badge, masking, cursor): loading only these keeps the page cheap.
ROW_COLUMNS = (Ticket.number, Ticket.subject, Ticket.status, Ticket.kind, Ticket.channel, Ticket.due_at,
               Ticket.received_at, Ticket.confidential, Ticket.assignee_id, Ticket.reporter_id, Ticket.paused_since)


def soon_cutoff(cal, now: datetime, days: int = 3) -> datetime:
    """'Due soon' means due before the close of the third working day from now."""
    try:
        return cal.add_working_days(now, days)
    except ValueError:
        return now + timedelta(days=days)


BADGE_CAP = 99  # beyond this the badge says "99+": counting years of days would only slow the page


def _capped(due_at: datetime, now: datetime) -> bool:
    return abs(due_at - now) > timedelta(days=BADGE_CAP * 7 // 5 + 30)


def working_days_left(cal, due_at: datetime | None, now: datetime) -> int | None:
    """Badge value: working days until the due date (negative when overdue), None without a clock."""
    if due_at is None:
        return None
    if _capped(due_at, now):
        return BADGE_CAP if due_at > now else -BADGE_CAP
    if due_at >= now:
        return cal.working_days_between(now, due_at)
    return -cal.working_days_between(due_at, now) or -1


def badges(cal, tickets, now: datetime) -> dict[int, int | None]:
    """Badge per ticket id; the count depends only on the due date's local day, so each day is counted once.

    Only a running clock has a badge: answered, closed, merged and paused tickets get none.
    """
    by_day: dict[tuple, int | None] = {None: None}
    out = {}
    for t in tickets:
        key = None if not clock.is_running(t) else (
            cal.local(t.due_at).date(), t.due_at >= now, working_days_left(cal, t.due_at, now) if _capped(t.due_at, now) else None)
        if key not in by_day:
            by_day[key] = working_days_left(cal, t.due_at, now)
        out[t.id] = by_day[key]
    return out
