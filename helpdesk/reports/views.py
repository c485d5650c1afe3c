"""The reports page for supervisors and the head, its exports, and the served-applicant counts."""
from __future__ import annotations

from datetime import date, timedelta

from flask import (Blueprint, Response, abort, current_app, flash, g, redirect, render_template, request,
                   send_file, stream_with_context, url_for)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from helpdesk.auth import SUPERVISORS, roles_required
from helpdesk.catalog.models import Service, Unit
from helpdesk.extensions import db
from helpdesk.inputs import whole_number
from helpdesk.office_calendar import office_calendar
from helpdesk.reports import exports, periods, queries
from helpdesk.reports.charts import bar_chart
from helpdesk.reports.labels import label
from helpdesk.reports.stats import DIMENSIONS, fold
from helpdesk.rules.routing import Role
from helpdesk.survey.elements import ELEMENTS
from helpdesk.survey.ikm import round_half_up
from helpdesk.survey.population import population, save_counts
from helpdesk.timeutil import utcnow

bp = Blueprint("reports", __name__, url_prefix="/laporan")
TREND_MONTHS = 12
MAX_SERVED = 10_000_000


@bp.app_template_filter("num")
def num(value, places: int = 2) -> str:
    """A number rounded half up, with the decimal comma in Indonesian."""
    if value is None:
        return "–"
    text = f"{round_half_up(value, places):.{places}f}"
    return text if g.get("lang") == "en" else text.replace(".", ",")


@bp.app_template_filter("month_year")
def month_year(value: date) -> str:
    return f"{value:%m/%Y}"


@bp.app_template_filter("pct")
def pct(value, places: int = 1) -> str:
    return "–" if value is None else f"{num(value * 100, places)} %"


def _id(name: str) -> int | None:
    return whole_number(request.args.get(name))


def selection():
    """The period and filters the query string asks for (the current quarter by default)."""
    cal = office_calendar()
    today = cal.local(utcnow()).date()
    try:
        period = periods.parse(request.args, today)
    except ValueError as exc:
        flash(_("Periode tidak valid: %(why)s", why=str(exc)), "error")
        period = periods.quarter_of(today)
    service_id, unit_id = _id("layanan"), _id("unit")
    start, end = period.bounds(cal.tz)
    return period, queries.Scope(start, end, service_id, unit_id), cal


def _trend_months(period: periods.Period) -> list[date]:
    months = period.months()
    if len(months) >= TREND_MONTHS:
        return months
    last = months[-1]
    return [periods.add_months(last, -i) for i in range(TREND_MONTHS - 1, -1, -1)]


def _month_label(d: date) -> str:
    names = periods.MONTHS_EN if g.get("lang") == "en" else periods.MONTHS_ID
    return f"{names[d.month - 1][:3]} {d:%y}"


@bp.get("/")
@roles_required(*SUPERVISORS)
def index():
    period, scope, cal = selection()
    now, limit = utcnow(), current_app.config["ANSWER_WORKING_DAYS"]
    months = _trend_months(period)
    trend_start = periods.month(months[0].year, months[0].month).bounds(cal.tz)[0]
    wide = queries.Scope(min(scope.start, trend_start), scope.end, scope.service_id, scope.unit_id)
    summary, monthly = fold(queries.ticket_rows(wide, cal, limit=limit, now=now), cal, since=scope.start,
                            months=months)
    names = [_month_label(m) for m in months]
    trend = [(name, monthly[m]) for name, m in zip(names, months)]
    charts = {
        "received": bar_chart(_("Laporan diterima per bulan"), names,
                              [(_("Pengaduan"), [s.complaints for _name, s in trend]),
                               (_("Saran/masukan"), [s.suggestions for _name, s in trend])],
                              note=_("Angka lengkap ada pada tabel di samping grafik."), chart_id="chart-received"),
        "sla": bar_chart(_("Kepatuhan SLA per bulan (persen)"), names,
                         [(_("Dijawab tepat waktu"),
                           [float(s.compliance * 100) if s.compliance is not None else None for _name, s in trend])],
                         top=100, suffix="%", note=_("Angka lengkap ada pada tabel di samping grafik."),
                         chart_id="chart-sla"),
    }
    result = queries.survey_index(scope)
    pop = population(period, scope.service_id, scope.unit_id)
    return render_template(
        "reports/index.html", period=period, scope=scope, summary=summary, trend=trend, charts=charts,
        limit=limit, dimensions=DIMENSIONS, label=label, overdue_now=queries.overdue_now(scope, now),
        escalations=queries.escalations(scope), apip=queries.apip_referrals(scope),
        apip_pending=queries.apip_pending(scope), ikm=result, population=pop,
        services=db.session.scalars(select(Service).order_by(Service.name)).all(),
        units=db.session.scalars(select(Unit).order_by(Unit.name)).all(),
        export_args={**periods.query_args(period), **_filter_args(scope)}, elements=ELEMENTS,
        last_day=period.end - timedelta(days=1))


def _filter_args(scope: queries.Scope) -> dict[str, str]:
    out = {}
    if scope.service_id is not None:
        out["layanan"] = str(scope.service_id)
    if scope.unit_id is not None:
        out["unit"] = str(scope.unit_id)
    return out


def _download(report: str, period: periods.Period, fmt: str, header, rows, tail=(), sheets=None):
    name = f"{report}-{period.slug}.{fmt}"
    if fmt == "csv":
        body = stream_with_context(exports.csv_lines(header, rows, tail))
        return Response(body, mimetype="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})
    return send_file(sheets(), as_attachment=True, download_name=name,
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _heading(title: str, period: periods.Period, cal) -> list[list]:
    return [[current_app.config["OFFICE_NAME"]], [title], ["Periode", period.label("id")],
            ["Dibuat", cal.local(utcnow()).replace(tzinfo=None)], []]


@bp.get("/ekspor/pengaduan.<fmt>")
@roles_required(*SUPERVISORS)
def export_tickets(fmt: str):
    if fmt not in ("csv", "xlsx"):
        abort(404)
    period, scope, cal = selection()
    now, limit = utcnow(), current_app.config["ANSWER_WORKING_DAYS"]
    rows = (exports.ticket_values(r, cal) for r in queries.ticket_rows(scope, cal, limit=limit, now=now))

    def workbook():
        book = exports.XlsxReport()
        totals = book.sheet("Ringkasan", _heading("Rekapitulasi pengaduan", period, cal))
        sheet = book.sheet("Pengaduan", _heading("Laporan pengaduan", period, cal))
        book.append(sheet, exports.TICKET_HEADER, bold=True)
        summary, _months = fold(_tee(queries.ticket_rows(scope, cal, limit=limit, now=now), book, sheet, cal),
                                cal, since=scope.start)
        for line in exports.summary_rows(summary, limit):
            book.append(totals, line)
        return book.save()
    return _download("pengaduan", period, fmt, exports.TICKET_HEADER, rows, sheets=workbook)


def _tee(rows, book, sheet, cal):
    """Write each row to the sheet while the summary is folded from the same pass."""
    for row in rows:
        book.append(sheet, exports.ticket_values(row, cal))
        yield row


@bp.get("/ekspor/ikm.<fmt>")
@roles_required(*SUPERVISORS)
def export_ikm(fmt: str):
    if fmt not in ("csv", "xlsx"):
        abort(404)
    period, scope, cal = selection()
    pop = population(period, scope.service_id, scope.unit_id)
    tail = exports.ikm_summary(queries.survey_index(scope), pop.served, pop.required)
    rows = (exports.answer_values(a, cal) for a in queries.survey_answers(scope))

    def workbook():
        book = exports.XlsxReport()
        totals = book.sheet("IKM", _heading("Indeks Kepuasan Masyarakat", period, cal))
        book.append(totals, ["", *exports.CODES], bold=True)
        for line in tail:
            book.append(totals, line)
        answers = book.sheet("Jawaban", _heading("Jawaban survei kepuasan", period, cal))
        book.append(answers, exports.ANSWER_HEADER, bold=True)
        for line in rows:
            book.append(answers, line)
        return book.save()
    return _download("ikm", period, fmt, exports.ANSWER_HEADER, rows, [["", *exports.CODES], *tail],
                     sheets=workbook)


@bp.route("/populasi", methods=["GET", "POST"])
@roles_required(Role.ADMIN, Role.HEAD)
def served():
    """Applicants served per month and service: the population of the survey's sample check."""
    year = _id("tahun") or office_calendar().local(utcnow()).year
    if not 2000 <= year <= 2100:
        abort(404)
    services = db.session.scalars(select(Service).where(Service.active.is_(True)).order_by(Service.name)).all()
    months = [date(year, m, 1) for m in range(1, 13)]
    if request.method == "POST":
        values, bad = {}, []
        for s in services:
            for m in months:
                raw = request.form.get(f"n-{s.id}-{m.month}", "").strip().replace(".", "")
                served = whole_number(raw)
                if raw and (served is None or served > MAX_SERVED):
                    bad.append(f"{s.name} {m:%m/%Y}")
                values[(m, s.id)] = served
        if bad:
            flash(_("Isian harus bilangan bulat 0–10.000.000: %(where)s", where=", ".join(bad[:5])), "error")
        else:
            save_counts(values, user_email=current_user.email)
            db.session.commit()
            flash(_("Jumlah pemohon yang dilayani disimpan."), "info")
        return redirect(url_for("reports.served", tahun=year), code=303)
    from helpdesk.survey.models import ServedCount
    counts = {(c.month, c.service_id): c.served for c in db.session.scalars(
        select(ServedCount).where(ServedCount.month.in_(months)))}
    return render_template("reports/served.html", year=year, services=services, months=months, counts=counts)
