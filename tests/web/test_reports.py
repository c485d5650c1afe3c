"""The reports page and its exports on the fixed fourth-quarter-2025 history (tests/integration/report_data.py)."""
from __future__ import annotations

import csv
import io
import re
from datetime import datetime

import pytest
from openpyxl import load_workbook

from helpdesk.reports import views as report_views
from helpdesk.survey.models import ServedCount
from helpdesk.web.public import stats as public_stats
from tests.integration import report_data

Q4 = "/laporan/?periode=triwulan&tahun=2025&triwulan=4"


@pytest.fixture
def history(app, monkeypatch):
    data = report_data.build()
    monkeypatch.setattr(report_views, "utcnow", report_data.now_utc)
    monkeypatch.setattr(public_stats, "utcnow", report_data.now_utc)
    return data


def cell(html: str, element_id: str) -> str:
    return re.search(rf'id="{element_id}"[^>]*>([^<]*)<', html).group(1).strip()


def table(html: str, element_id: str) -> list[list[str]]:
    body = re.search(rf'<table id="{element_id}">.*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.S)]
            for tr in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_every_number_of_the_quarter_matches_the_hand_count(history, client_for):
    html = client_for("supervisor").get(Q4).get_data(as_text=True)
    assert cell(html, "period") == "Triwulan IV 2025"
    numbers = {k: cell(html, k) for k in ("n-total", "n-complaints", "n-suggestions", "n-answered", "n-on-time",
                                          "sla", "median", "p90", "n-overdue", "n-overdue-now", "n-escalations",
                                          "n-apip", "n-apip-pending")}
    assert numbers == {"n-total": "10", "n-complaints": "8", "n-suggestions": "2", "n-answered": "5",
                       "n-on-time": "4", "sla": "66,7 %", "median": "12,0", "p90": "15", "n-overdue": "1",
                       "n-overdue-now": "2", "n-escalations": "3 / 2", "n-apip": "1", "n-apip-pending": "0"}
    assert table(html, "by-channel") == [["E-mail", "2", "1", "3"], ["Formulir web", "2", "1", "3"],
                                         ["Surat", "1", "0", "1"], ["Telepon", "1", "0", "1"],
                                         ["Telegram", "1", "0", "1"], ["WhatsApp", "1", "0", "1"]]
    assert table(html, "by-service") == [
        ["Sertifikasi Industri Hijau", "4", "0", "4"],
        ["Sertifikat Standar (Risiko Menengah Tinggi) KBLI 22210 Industri Barang dari Plastik untuk Bangunan",
         "4", "0", "4"], ["Belum ditentukan", "0", "2", "2"]]
    assert table(html, "by-tier") == [["Internal", "4", "0", "4"], ["Belum ditentukan", "2", "2", "4"],
                                      ["APIP", "1", "0", "1"], ["Tim teknis/instansi lain", "1", "0", "1"]]
    assert table(html, "by-unit") == [["Belum ditentukan", "2", "2", "4"], ["Bidang Pelayanan", "3", "0", "3"],
                                      ["Tim Teknis Dinas PUPR", "3", "0", "3"]]
    assert table(html, "by-component") == [["Belum ditentukan", "2", "2", "4"], ["Biaya/tarif", "2", "0", "2"],
                                           ["Jangka waktu penyelesaian", "2", "0", "2"], ["Persyaratan", "1", "0", "1"],
                                           ["Sistem, mekanisme, dan prosedur", "1", "0", "1"]]


def test_the_monthly_trend_as_chart_and_table(history, client_for):
    html = client_for("head").get(Q4).get_data(as_text=True)
    received, sla = table(html, "trend-received"), table(html, "trend-sla")
    assert [r[0] for r in received] == [r[0] for r in sla] == [
        "Jan 25", "Feb 25", "Mar 25", "Apr 25", "Mei 25", "Jun 25", "Jul 25", "Agu 25", "Sep 25", "Okt 25",
        "Nov 25", "Des 25"]
    # month, complaints, suggestions | month, answered, on time, SLA, median
    assert received[8:] == [["Sep 25", "2", "0"], ["Okt 25", "6", "1"], ["Nov 25", "1", "1"], ["Des 25", "1", "0"]]
    assert sla[8:] == [["Sep 25", "1", "1", "50,0 %", "2,0"], ["Okt 25", "5", "4", "80,0 %", "12,0"],
                       ["Nov 25", "0", "0", "0,0 %", "–"], ["Des 25", "0", "0", "–", "–"]]
    assert received[0] == ["Jan 25", "0", "0"] and sla[0] == ["Jan 25", "0", "0", "–", "–"]
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 2
    assert "<title>Okt 25 · Pengaduan: 6</title>" in html and "<title>Okt 25 · Dijawab tepat waktu: 80%</title>" in html


def test_the_ikm_of_the_quarter_with_its_sample_check(history, client_for):
    html = client_for("supervisor").get(Q4).get_data(as_text=True)
    assert cell(html, "ikm-index") == "84,03"
    assert cell(html, "ikm-grade") == "B — Baik"
    assert cell(html, "ikm-respondents") == "4 responden"
    assert table(html, "ikm-elements") == [
        ["U1 Persyaratan", "3,25"], ["U2 Sistem, mekanisme, dan prosedur", "3,25"], ["U3 Waktu penyelesaian", "3,50"],
        ["U4 Biaya/tarif", "4,00"], ["U5 Produk spesifikasi jenis pelayanan", "3,25"],
        ["U6 Kompetensi pelaksana", "3,25"], ["U7 Perilaku pelaksana", "3,50"],
        ["U8 Penanganan pengaduan, saran dan masukan", "3,25"], ["U9 Sarana dan prasarana", "3,00"],
        ["IKM (jumlah nilai tertimbang, bobot 1/9)", "3,361"], ["IKM konversi (× 25)", "84,03"]]
    # 330 served -> 178 respondents needed (Krejcie-Morgan); 4 answered
    assert "Sampel kurang: 4 responden" in html and "paling sedikit 178 untuk 330 pemohon" in html


def test_ikm_per_service_and_per_unit(history, client_for):
    client = client_for("supervisor")
    a = client.get(f"{Q4}&layanan={history['a'].id}").get_data(as_text=True)
    # service A: T1, T2, T5; totals 96 of 9 elements x 3 -> 32 x 25 / 9 = 88.888… -> 88.89, A
    assert (cell(a, "ikm-index"), cell(a, "ikm-grade"), cell(a, "ikm-respondents")) == \
        ("88,89", "A — Sangat Baik", "3 responden")
    assert "paling sedikit 169 untuk 300 pemohon" in a  # 100 + 120 + 80 served
    assert cell(a, "n-total") == "4" and cell(a, "sla") == "100,0 %"  # T1, T2, T5 on time, T7 open
    u2 = client.get(f"{Q4}&unit={history['u2'].id}").get_data(as_text=True)
    # unit U2: only T4 answered, 25 / 9 x 25 = 69.444… -> 69.44, C
    assert (cell(u2, "ikm-index"), cell(u2, "ikm-grade")) == ("69,44", "C — Kurang Baik")
    assert cell(u2, "n-total") == "3" and cell(u2, "n-escalations") == "3 / 2" and cell(u2, "n-apip") == "1"


def test_a_missing_month_of_served_applicants_is_named_and_no_sample_check_is_made(history, client_for):
    from helpdesk.extensions import db
    db.session.delete(db.session.scalars(db.select(ServedCount).filter_by(service_id=history["b"].id)
                                         .order_by(ServedCount.month.desc())).first())
    db.session.commit()
    html = client_for("supervisor").get(Q4).get_data(as_text=True)
    assert "belum diisi untuk: 12/2025" in cell(html, "ikm-sample")


def test_english_report(history, client_for):
    client = client_for("supervisor")
    client.get("/bahasa/en")
    html = client.get(Q4).get_data(as_text=True)
    assert cell(html, "period") == "Quarter IV 2025" and cell(html, "sla") == "66.7 %"
    assert cell(html, "ikm-grade") == "B — Good" and "Complaints and suggestions by category" in html


def test_the_quarterly_complaint_report_opens_back_from_xlsx(history, client_for):
    response = client_for("supervisor").get("/laporan/ekspor/pengaduan.xlsx?periode=triwulan&tahun=2025&triwulan=4")
    assert response.status_code == 200
    assert "filename=pengaduan-2025-Q4.xlsx" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Ringkasan", "Pengaduan"]
    rows = list(book["Pengaduan"].iter_rows(values_only=True))
    assert rows[1][0] == "Laporan pengaduan" and rows[2][:2] == ("Periode", "Triwulan IV 2025")
    header = rows[5]
    assert header[:3] == ("Nomor", "Jenis", "Diterima") and header[-2:] == ("Hari kerja", "Tepat waktu")
    by_number = {r[0]: dict(zip(header, r)) for r in rows[6:]}
    t = {k: v.number for k, v in history["tickets"].items()}
    assert len(by_number) == 10 and t["T10"] not in by_number and t["T11"] not in by_number
    t1 = by_number[t["T1"]]
    assert t1["Diterima"] == datetime(2025, 10, 6, 10, 0) and t1["Dijawab"] == datetime(2025, 10, 10, 11, 0)
    assert t1["Batas waktu"] == datetime(2025, 10, 24, 16, 30)
    assert (t1["Jenis"], t1["Kanal"], t1["Layanan"], t1["Komponen"], t1["Tingkat penyelesaian"], t1["Unit"],
            t1["Status"]) == ("Pengaduan", "E-mail", "Sertifikasi Industri Hijau", "Persyaratan", "Internal",
                              "Bidang Pelayanan", "Dijawab")
    days = {k: (by_number[t[k]]["Hari kerja"], by_number[t[k]]["Tepat waktu"]) for k in
            ("T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T12")}
    assert days == {"T1": (4, "ya"), "T2": (14, "ya"), "T3": (15, "tidak"), "T4": (12, "ya"), "T5": (0, "ya"),
                    "T6": (None, "tidak"), "T7": (None, "berjalan"), "T8": (None, None), "T12": (None, None)}
    assert by_number[t["T8"]]["Jenis"] == "Saran/masukan"
    totals = {r[0]: r[1] for r in book["Ringkasan"].iter_rows(min_row=6, values_only=True)}
    assert totals == {"Laporan diterima": 10, "Pengaduan": 8, "Saran/masukan": 2, "Pengaduan dijawab": 5,
                      "Dijawab dalam 14 hari kerja": 4, "Dijawab lewat waktu": 1, "Terbuka lewat tenggat": 1,
                      "Kepatuhan SLA (%)": 66.7, "Median hari kerja": 12, "Persentil ke-90 hari kerja": 15}
    assert "pelapor" not in response.data.decode("latin-1").lower()  # names and contacts never leave


def test_the_monthly_complaint_report_opens_back_from_csv(history, client_for):
    response = client_for("head").get("/laporan/ekspor/pengaduan.csv?periode=bulan&tahun=2025&bulan=10")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert 'filename="pengaduan-2025-10.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    t = {v.number: k for k, v in history["tickets"].items()}
    assert sorted(t[r[0]] for r in body) == ["T1", "T12", "T2", "T3", "T4", "T5", "T8"]
    t4 = dict(zip(header, next(r for r in body if t[r[0]] == "T4")))
    assert t4 == {"Nomor": history["tickets"]["T4"].number, "Jenis": "Pengaduan", "Diterima": "2025-10-13 09:00",
                  "Batas waktu": "2025-11-05 16:00", "Dijawab": "2025-11-03 10:00", "Ditutup": "", "Kanal": "WhatsApp",
                  "Layanan": history["b"].name, "Komponen": "Jangka waktu penyelesaian",
                  "Tingkat penyelesaian": "Internal", "Unit": "Tim Teknis Dinas PUPR", "Status": "Dijawab",
                  "Hari kerja": "12", "Tepat waktu": "ya"}
    assert "pelapor" not in response.data.decode("utf-8-sig").lower()


def test_the_ikm_report_opens_back_from_xlsx_and_csv(history, client_for):
    client = client_for("supervisor")
    book = load_workbook(io.BytesIO(client.get("/laporan/ekspor/ikm.xlsx?periode=triwulan&tahun=2025&triwulan=4").data))
    assert book.sheetnames == ["IKM", "Jawaban"]
    summary = {r[0]: r[1:] for r in book["IKM"].iter_rows(min_row=7, values_only=True)}
    assert summary["NRR per unsur"] == (3.25, 3.25, 3.5, 4.0, 3.25, 3.25, 3.5, 3.25, 3.0)
    assert summary["NRR tertimbang (x 1/9)"][:4] == (0.361, 0.361, 0.389, 0.444)
    assert summary["IKM (jumlah NRR tertimbang)"][0] == 3.361 and summary["IKM konversi (x 25)"][0] == 84.03
    assert summary["Mutu pelayanan"][0] == "B (Baik)" and summary["Responden"][0] == 4
    assert summary["Populasi (pemohon dilayani)"][0] == 330 and summary["Sampel minimal (Krejcie-Morgan)"][0] == 178
    answers = list(book["Jawaban"].iter_rows(min_row=6, values_only=True))
    assert answers[0][:4] == ("Tanggal", "Layanan", "Unit", "Melalui")  # anonymous: no ticket number
    numbers = {t.number for t in history["tickets"].values()}
    assert not any(str(v) in numbers for r in answers[1:] for v in r)
    by_comment = {r[13]: r for r in answers[1:]}
    t4 = by_comment["komentar T4"]
    assert t4[4:13] == (2, 3, 3, 4, 3, 2, 3, 3, 2) and t4[2] == "Tim Teknis Dinas PUPR"
    assert len(by_comment) == 4
    lines = list(csv.reader(io.StringIO(client.get("/laporan/ekspor/ikm.csv?periode=triwulan&tahun=2025&triwulan=4")
                                        .data.decode("utf-8-sig"))))
    assert lines[0][4:13] == [f"U{i}" for i in range(1, 10)] and len([r for r in lines[1:5]]) == 4
    assert not any(n in ",".join(line) for line in lines for n in numbers)
    tail = {r[0]: r[1:] for r in lines if r}
    assert tail["IKM konversi (x 25)"] == ["84.03"] and tail["Mutu pelayanan"] == ["B (Baik)"]


def test_exports_refuse_unknown_formats_and_roles(history, client_for):
    assert client_for("supervisor").get("/laporan/ekspor/pengaduan.pdf").status_code == 404
    assert client_for("officer").get("/laporan/ekspor/pengaduan.csv").status_code == 403
    assert client_for("officer").get(Q4).status_code == 403


def test_a_bad_period_says_why_and_shows_the_current_quarter(history, client_for):
    html = client_for("supervisor").get("/laporan/?periode=triwulan&triwulan=9").get_data(as_text=True)
    assert "Periode tidak valid" in html and cell(html, "period") == "Triwulan IV 2025"


def test_a_spreadsheet_never_runs_a_formula_from_a_comment(history, client_for, app):
    from helpdesk.extensions import db
    from helpdesk.survey.models import SurveyResponse
    response = db.session.scalars(db.select(SurveyResponse)).first()
    response.comment = '=HYPERLINK("http://jahat.invalid","klik")'
    db.session.commit()
    client = client_for("supervisor")
    book = load_workbook(io.BytesIO(client.get("/laporan/ekspor/ikm.xlsx?periode=triwulan&tahun=2025&triwulan=4").data))
    comments = [r[13] for r in book["Jawaban"].iter_rows(min_row=7, values_only=True)]
    assert '=HYPERLINK("http://jahat.invalid","klik")' in comments  # kept as text
    assert all(c.data_type == "s" for r in book["Jawaban"].iter_rows(min_row=7) for c in r[13:14])
    text = client.get("/laporan/ekspor/ikm.csv?periode=triwulan&tahun=2025&triwulan=4").data.decode("utf-8-sig")
    assert "'=HYPERLINK" in text


def test_served_applicants_are_entered_by_the_admin_or_the_head(history, client_for):
    head = client_for("head")
    page = head.get("/laporan/populasi?tahun=2025").get_data(as_text=True)
    assert f'name="n-{history["a"].id}-10" value="100"' in page
    response = head.post("/laporan/populasi?tahun=2025", data={f"n-{history['a'].id}-10": "1.000",
                                                             f"n-{history['a'].id}-11": "120",
                                                             f"n-{history['a'].id}-12": "80",
                                                             f"n-{history['b'].id}-10": "10",
                                                             f"n-{history['b'].id}-11": "10",
                                                             f"n-{history['b'].id}-12": ""})
    assert response.status_code == 303
    from helpdesk.extensions import db
    counts = {(c.month.month, c.service_id): c.served for c in db.session.scalars(db.select(ServedCount))}
    assert counts[(10, history["a"].id)] == 1000 and (12, history["b"].id) not in counts
    bad = head.post("/laporan/populasi?tahun=2025", data={f"n-{history['a'].id}-10": "-5"}, follow_redirects=True)
    assert "harus bilangan bulat" in bad.get_data(as_text=True)
    assert client_for("supervisor").get("/laporan/populasi").status_code == 403


def test_the_public_page_shows_statistics_and_the_latest_ikm_without_personal_data(history, app):
    html = app.test_client().get("/statistik").get_data(as_text=True)
    assert "Triwulan IV 2025" in html and "sementara, triwulan berjalan" in html
    assert cell(html, "public-sla") == "66,7 %"
    assert cell(html, "ikm-index") == "84,03" and cell(html, "ikm-grade") == "B — Baik"
    assert "U9 Sarana dan prasarana" in html
    lowered = html.lower()
    assert "pelapor t1" not in lowered and "@contoh.id" not in lowered and "komentar" not in lowered
    assert history["tickets"]["T1"].number not in html


def test_a_units_population_counts_its_active_services_for_the_periods_months(app):
    from datetime import date

    from helpdesk.catalog.models import Service, Unit
    from helpdesk.extensions import db
    from helpdesk.reports import periods
    from helpdesk.survey.population import population
    unit, other = Unit(name="Bidang A"), Unit(name="Bidang B")
    db.session.add_all([unit, other])
    db.session.flush()
    open_, closed, elsewhere = (Service(slug="izin-a", name="Izin A", unit_id=unit.id),
                                Service(slug="izin-lama", name="Izin lama", unit_id=unit.id, active=False),
                                Service(slug="izin-b", name="Izin B", unit_id=other.id))
    db.session.add_all([open_, closed, elsewhere])
    db.session.flush()
    for m in (1, 2, 3, 4):
        db.session.add(ServedCount(month=date(2026, m, 1), service_id=open_.id, served=100 * m, updated_by="a"))
        db.session.add(ServedCount(month=date(2026, m, 1), service_id=elsewhere.id, served=7, updated_by="a"))
    db.session.commit()
    pop = population(periods.quarter(2026, 1), unit_id=unit.id)
    # The inactive service (no counts can be entered for it) does not make every month "missing";
    # the other unit's service and April are not counted.
    assert (pop.served, pop.missing) == (600, ())
