"""What the admin's scheduler page says of each job: what it does and when it runs, in words.

The descriptions live here, by job id, so the page speaks the visitor's language for every
feature's job; a job without one shows the description it was registered with.
"""
from __future__ import annotations

from flask import g
from flask_babel import gettext as _, lazy_gettext as _l, ngettext

from helpdesk.jobs import JobSpec

DESCRIPTIONS = {
    "sla-sweep": _l("Mengirim pengingat yang jatuh tempo dan menaikkan tiket yang lewat tenggat ke atasan."),
    "reminders-resync": _l("Menyusun ulang pengingat setiap pengaduan terbuka setelah perubahan kalender atau "
                           "pengaturan."),
    "morning-digest": _l("Ringkasan pagi untuk atasan dan Kepala Kantor, sekali setiap hari kerja."),
    "retrain-classifier": _l("Melatih ulang klasifikasi otomatis bila petugas mengonfirmasi klasifikasi baru."),
    "poll-email": _l("Mengambil e-mail baru dari setiap kotak surat IMAP, lalu menunggu sebentar (IDLE)."),
    "poll-telegram": _l("Mengambil pesan baru dari Telegram (mode polling)."),
    "chat-replies": _l("Mengirim balasan bot yang belum terkirim saat pesannya diterima."),
    "outbox-delivery": _l("Mengirim pesan dalam antrean keluar dan mengulang yang gagal."),
}


def description(spec: JobSpec) -> str:
    return str(DESCRIPTIONS.get(spec.id, spec.description))


def schedule(spec: JobSpec) -> str:
    """'tiap 60 detik', 'tiap 15 menit', 'setiap hari pukul 01.15' (and in English)."""
    if spec.seconds is not None:
        n = spec.seconds
        if n < 120 or n % 60:
            return ngettext("tiap %(num)d detik", "tiap %(num)d detik", n)
        if n < 7200 or n % 3600:
            return ngettext("tiap %(num)d menit", "tiap %(num)d menit", n // 60)
        return ngettext("tiap %(num)d jam", "tiap %(num)d jam", n // 3600)
    cron = spec.cron or {}
    if set(cron) == {"hour", "minute"} and all(isinstance(v, int) for v in cron.values()):
        separator = ":" if g.get("lang") == "en" else "."
        return _("setiap hari pukul %(time)s", time=f"{cron['hour']:02d}{separator}{cron['minute']:02d}")
    return "cron " + " ".join(f"{k}={v}" for k, v in cron.items())
