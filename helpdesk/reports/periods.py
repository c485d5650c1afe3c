"""Report periods: a month, a quarter (the default), a year or a custom range of local dates. Pure.

A period is a half-open range of the office's local dates [start, end); its moments are the
office-zone midnights of those dates, so a ticket received at 23:30 WIB on 31 March belongs to
March (and to the first quarter) whatever its UTC date.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from helpdesk.inputs import whole_number

KINDS = ("month", "quarter", "year", "custom")
MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
             "Oktober", "November", "Desember")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")
MAX_CUSTOM_DAYS = 5 * 366


@dataclass(frozen=True)
class Period:
    kind: str  # month | quarter | year | custom
    start: date
    end: date  # exclusive

    def label(self, lang: str = "id") -> str:
        """How the period is named in reports: "Triwulan I 2026", "Maret 2026", "2026", a range."""
        names = MONTHS_EN if lang == "en" else MONTHS_ID
        if self.kind == "month":
            return f"{names[self.start.month - 1]} {self.start.year}"
        if self.kind == "quarter":
            roman = ("I", "II", "III", "IV")[(self.start.month - 1) // 3]
            return f"{'Quarter' if lang == 'en' else 'Triwulan'} {roman} {self.start.year}"
        if self.kind == "year":
            return str(self.start.year)
        last = self.end - timedelta(days=1)
        return f"{self.start:%d-%m-%Y} – {last:%d-%m-%Y}"

    @property
    def slug(self) -> str:
        """A short name for export files: 2026-03, 2026-Q1, 2026, 20260101-20260315."""
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "year":
            return str(self.start.year)
        return f"{self.start:%Y%m%d}-{self.end - timedelta(days=1):%Y%m%d}"

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """The period's first and past-the-last moments, in UTC."""
        return (datetime.combine(self.start, time(), tzinfo=tz).astimezone(timezone.utc),
                datetime.combine(self.end, time(), tzinfo=tz).astimezone(timezone.utc))

    def months(self) -> list[date]:
        """The first day of every calendar month the period touches."""
        out, d = [], self.start.replace(day=1)
        while d < self.end:
            out.append(d)
            d = add_months(d, 1)
        return out


def add_months(d: date, n: int) -> date:
    """The first of the month ``n`` months after ``d``'s month."""
    index = d.year * 12 + d.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def month(year: int, number: int) -> Period:
    start = date(year, number, 1)
    return Period("month", start, add_months(start, 1))


def quarter(year: int, number: int) -> Period:
    if not 1 <= number <= 4:
        raise ValueError(f"a quarter is 1-4, not {number}")
    start = date(year, 3 * number - 2, 1)
    return Period("quarter", start, add_months(start, 3))


def year(number: int) -> Period:
    return Period("year", date(number, 1, 1), date(number + 1, 1, 1))


def custom(first: date, last: date) -> Period:
    """From ``first`` to ``last`` inclusive."""
    if last < first:
        raise ValueError("the end date is before the start date")
    if (last - first).days >= MAX_CUSTOM_DAYS:
        raise ValueError(f"a custom range is at most {MAX_CUSTOM_DAYS} days")
    return Period("custom", first, last + timedelta(days=1))


def quarter_of(day: date) -> Period:
    return quarter(day.year, (day.month - 1) // 3 + 1)


def previous(period: Period) -> Period:
    """The period of the same kind just before (custom: the same length before)."""
    if period.kind == "month":
        d = add_months(period.start, -1)
        return month(d.year, d.month)
    if period.kind == "quarter":
        return quarter_of(add_months(period.start, -3))
    if period.kind == "year":
        return year(period.start.year - 1)
    length = period.end - period.start
    return Period("custom", period.start - length, period.start)


def _int(args, name: str, default: int, low: int, high: int) -> int:
    raw = (args.get(name) or "").strip()
    if not raw:
        return default
    value = whole_number(raw)
    if value is None or not low <= value <= high:
        raise ValueError(f"'{name}' must be a whole number from {low} to {high}, not {raw!r}")
    return value


def parse(args, today: date) -> Period:
    """The period a report's query string asks for; the current quarter when it asks for none.

    ``periode`` = bulan | triwulan | tahun | rentang (month, quarter, year, custom), with
    ``tahun``, ``bulan`` (1-12), ``triwulan`` (1-4), or ``dari``/``sampai`` (ISO dates).
    ValueError with a message when a value is out of range.
    """
    kind = {"bulan": "month", "triwulan": "quarter", "tahun": "year", "rentang": "custom"}.get(
        (args.get("periode") or "triwulan").strip(), None)
    if kind is None:
        raise ValueError("'periode' must be bulan, triwulan, tahun or rentang")
    y = _int(args, "tahun", today.year, 2000, 2100)
    if kind == "month":
        return month(y, _int(args, "bulan", today.month if y == today.year else 1, 1, 12))
    if kind == "quarter":
        return quarter(y, _int(args, "triwulan", (today.month - 1) // 3 + 1 if y == today.year else 1, 1, 4))
    if kind == "year":
        return year(y)
    try:
        first = date.fromisoformat((args.get("dari") or "").strip())
        last = date.fromisoformat((args.get("sampai") or "").strip())
    except ValueError as exc:
        raise ValueError("'dari' and 'sampai' must be dates (YYYY-MM-DD)") from exc
    return custom(first, last)


def query_args(period: Period) -> dict[str, str]:
    """The query-string arguments that :func:`parse` turns back into ``period``."""
    if period.kind == "month":
        return {"periode": "bulan", "tahun": str(period.start.year), "bulan": str(period.start.month)}
    if period.kind == "quarter":
        return {"periode": "triwulan", "tahun": str(period.start.year),
                "triwulan": str((period.start.month - 1) // 3 + 1)}
    if period.kind == "year":
        return {"periode": "tahun", "tahun": str(period.start.year)}
    return {"periode": "rentang", "dari": period.start.isoformat(),
            "sampai": (period.end - timedelta(days=1)).isoformat()}
