"""Reference data every office starts with: the R4 components and the seed services."""
from __future__ import annotations

from sqlalchemy import select

from helpdesk.catalog.models import Component, Service
from helpdesk.extensions import db

# (slug, Indonesian name as in the service standards, English, group)
COMPONENTS = [
    ("persyaratan", "Persyaratan", "Requirements", "service_delivery"),
    ("prosedur", "Sistem, mekanisme, dan prosedur", "Systems, mechanisms and procedures", "service_delivery"),
    ("jangka_waktu", "Jangka waktu penyelesaian", "Completion time", "service_delivery"),
    ("biaya", "Biaya/tarif", "Fees/tariffs (incl. illegal levies)", "service_delivery"),
    ("produk", "Produk pelayanan", "Service product", "service_delivery"),
    ("penanganan_pengaduan", "Penanganan pengaduan, saran dan masukan",
     "Handling of complaints, suggestions and input", "service_delivery"),
    ("dasar_hukum", "Dasar hukum", "Legal basis", "management"),
    ("sarana_prasarana", "Sarana, prasarana, dan/atau fasilitas", "Facilities and infrastructure", "management"),
    ("kompetensi_pelaksana", "Kompetensi pelaksana", "Staff competence and behaviour", "management"),
    ("pengawasan_internal", "Pengawasan internal", "Internal supervision", "management"),
    ("jumlah_pelaksana", "Jumlah pelaksana", "Number of staff", "management"),
    ("jaminan_pelayanan", "Jaminan pelayanan", "Service guarantee", "management"),
    ("keamanan_keselamatan", "Jaminan keamanan dan keselamatan pelayanan",
     "Security and safety guarantee", "management"),
    ("evaluasi_kinerja", "Evaluasi kinerja pelaksana", "Staff performance evaluation", "management"),
    ("lainnya", "Lainnya", "Other", "other"),
]

# The services of the two service standards in the seeds.
SERVICES = [
    ("sertifikasi-industri-hijau", "Sertifikasi Industri Hijau",
     "Layanan Sertifikasi Sistem Mutu — Sertifikasi Industri Hijau (BSPJI Palembang)."),
    ("sertifikat-standar-kbli-22210",
     "Sertifikat Standar (Risiko Menengah Tinggi) KBLI 22210 Industri Barang dari Plastik untuk Bangunan",
     "Perizinan berusaha berbasis risiko, DPMPTSP Kabupaten Purwakarta."),
]


def seed_reference_data() -> None:
    """Insert missing components and services; existing rows are left as the office edited them."""
    have = set(db.session.scalars(select(Component.slug)))
    for pos, (slug, name_id, name_en, group) in enumerate(COMPONENTS):
        if slug not in have:
            db.session.add(Component(slug=slug, name_id=name_id, name_en=name_en, group=group, position=pos))
    have = set(db.session.scalars(select(Service.slug)))
    for slug, name, description in SERVICES:
        if slug not in have:
            db.session.add(Service(slug=slug, name=name, description=description))
    db.session.commit()
