"""The complaint report and the IKM report as CSV (streamed) and XLSX (written row by row).

One row per ticket (number, dates, channel, service, component, tier, unit, status, working
days taken) or per survey answer; no names or contacts. The survey is anonymous (PermenPANRB
14/2017): an answer's row carries no ticket number and only the day it was given, nothing that
leads back to the respondent. Memory stays bounded for big periods:
CSV lines are yielded as the rows stream from the database, and the XLSX workbook is
openpyxl's write-only kind, which spools its rows to a temporary file.
"""
from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from datetime import datetime

from helpdesk.reports.labels import label
from helpdesk.reports.stats import Summary, TicketRow
from helpdesk.rules.calendar import OfficeCalendar
from helpdesk.survey import ikm
from helpdesk.survey.elements import CODES

TICKET_HEADER = ("Nomor", "Jenis", "Diterima", "Batas waktu", "Dijawab", "Ditutup", "Kanal", "Layanan",
                 "Komponen", "Tingkat penyelesaian", "Unit", "Status", "Hari kerja", "Tepat waktu")
ANSWER_HEADER = ("Tanggal", "Layanan", "Unit", "Melalui", *CODES, "Saran/komentar")
OUTCOMES = {"on_time": "ya", "late": "tidak", "open": "berjalan", None: ""}
DATE_FORMAT = "yyyy-mm-dd hh:mm"


def _local(cal: OfficeCalendar, value: datetime | None) -> datetime | None:
    """A naive office-zone time: spreadsheets have no zones, and the office reads its own."""
    return cal.local(value).replace(tzinfo=None) if value is not None else None


def ticket_values(row: TicketRow, cal: OfficeCalendar) -> list:
    """One ticket as the report's cells, in TICKET_HEADER order."""
    return [row.number, label("kind", row.kind), _local(cal, row.received_at), _local(cal, row.due_at),
            _local(cal, row.answered_at), _local(cal, row.closed_at), label("channel", row.channel),
            row.service or "", row.component or "", label("tier", row.tier), row.unit or "",
            label("status", row.status), row.working_days, OUTCOMES[row.outcome]]


def answer_values(answer, cal: OfficeCalendar) -> list:
    """One survey answer (a row of queries.survey_answers) as cells, in ANSWER_HEADER order (anonymous)."""
    response = answer.SurveyResponse
    return [cal.local(response.submitted_at).date(), answer.service or "", answer.unit or "",
            label("channel", response.source), *response.scores, response.comment]


def ikm_summary(result: ikm.Ikm | None, served: int | None, required: int | None) -> list[list]:
    """The tabulation rows under the answers: NRR, weighted NRR, index, grade, sample check."""
    if result is None:
        return [["Responden", 0]]
    rows = [["NRR per unsur", *[_dec(m, 3) for m in result.means]],
            ["NRR tertimbang (x 1/9)", *[_dec(m * ikm.WEIGHT, 3) for m in result.means]],
            ["IKM (jumlah NRR tertimbang)", _dec(result.weighted, 3)],
            ["IKM konversi (x 25)", float(result.index_shown)],
            ["Mutu pelayanan", f"{result.grade.letter} ({result.grade.label[0]})"],
            ["Responden", result.respondents],
            ["Populasi (pemohon dilayani)", served if served is not None else "belum diisi"],
            ["Sampel minimal (Krejcie-Morgan)", required if required is not None else ""]]
    return rows


def _dec(value, places: int) -> float:
    return float(ikm.round_half_up(value, places))


def _csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    text = str(value)
    # Text starting like a formula is neutralised so a spreadsheet never evaluates it.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_lines(header: Iterable[str], rows: Iterable[list], tail: Iterable[list] = ()) -> Iterator[str]:
    """CSV text, one line at a time (UTF-8 with a byte-order mark, so spreadsheets read it right)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(values) -> str:
        writer.writerow([_csv_text(v) for v in values])
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text
    yield "\ufeff" + line(header)
    for row in rows:
        yield line(row)
    tail = list(tail)
    if tail:
        yield line([])
        for row in tail:
            yield line(row)


class XlsxReport:
    """A write-only workbook; ``save`` returns a temporary file positioned at its start."""

    def __init__(self):
        # openpyxl (~30 MB resident) loads with the first XLSX export, not in every process at start-up.
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font

        self.book = Workbook(write_only=True)
        self._cell, self._bold = WriteOnlyCell, Font(bold=True)

    def sheet(self, title: str, heading: Iterable[list] = ()):
        ws = self.book.create_sheet(title)
        for line in heading:
            self.append(ws, line)
        return ws

    def append(self, ws, values: Iterable, *, bold: bool = False) -> None:
        cells = []
        for value in values:
            cell = self._cell(ws, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text stays text, even when it starts with "="
            elif isinstance(value, datetime):
                cell.number_format = DATE_FORMAT
            if bold:
                cell.font = self._bold
            cells.append(cell)
        ws.append(cells)

    def save(self):
        out = tempfile.TemporaryFile()
        self.book.save(out)
        out.seek(0)
        return out


def summary_rows(summary: Summary, limit: int) -> list[list]:
    """The complaint report's totals, for the summary sheet."""
    compliance = summary.compliance
    return [["Laporan diterima", summary.total], ["Pengaduan", summary.complaints],
            ["Saran/masukan", summary.suggestions], ["Pengaduan dijawab", summary.answered],
            [f"Dijawab dalam {limit} hari kerja", summary.outcomes["on_time"]],
            ["Dijawab lewat waktu", summary.answered - summary.outcomes["on_time"]],
            ["Terbuka lewat tenggat", summary.overdue],
            ["Kepatuhan SLA (%)", _dec(compliance * 100, 1) if compliance is not None else ""],
            ["Median hari kerja", _dec(summary.median_days, 1) if summary.median_days is not None else ""],
            ["Persentil ke-90 hari kerja", summary.p90_days if summary.p90_days is not None else ""]]

