"""Settings: defaults in code, overridden by HELPDESK_* environment variables.

Nothing else in the project reads ``os.environ``; everything goes through :func:`load`.
"""
from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

from config import mail

PREFIX = "HELPDESK_"
ROOT = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    """Raised at start-up when the settings cannot run the helpdesk safely."""


def parse_boolean(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on", "y"}


class Config:
    """Embedded default: SQLite file beside the code, in-process scheduler."""

    ENV = "development"
    DEBUG = False
    TESTING = False
    SECRET_KEY: str | None = None
    DATABASE_URL = f"sqlite:///{ROOT / 'instance' / 'helpdesk.sqlite3'}"
    TIMEZONE = "Asia/Jakarta"
    DEFAULT_LOCALE = "id"
    OFFICE_NAME = "Kantor Pelayanan"
    TICKET_PREFIX = "ADU"
    ANSWER_WORKING_DAYS = 14
    COMPLAINT_WINDOW_DAYS = 30
    ATTACHMENT_DIR = str(ROOT / "instance" / "attachments")
    ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
    SCHEDULER = "embedded"  # embedded | off (production runs `flask worker`)
    SCHEDULER_LEASE_SECONDS = 900  # one worker runs a job at a time; a lease older than this is free again
    SCHEDULER_MISFIRE_GRACE_SECONDS = 6 * 3600  # a run missed by more than this is skipped, not caught up
    # Reminders (R7): working-day marks before the answer limit, stage targets, escalation.
    REMINDER_MARKS = "7,10,12,13"  # after these working days; the due day is always reminded
    STAGE_TARGETS = "verification=3:2"  # stage=working days[:reminder marks]; ';' between stages
    ESCALATE_HEAD_AFTER_DAYS = 3  # working days between escalation steps past due: one level each, up to the head
    DIGEST_TIME = "07:00"  # the morning digest to supervisors, office time, on working days
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    API_RATE_LIMIT = "60/minute"  # every /api/v1 route, per client address
    API_FILING_RATE_LIMIT = "10/minute;200/day"  # POST /api/v1/complaints, on top of the above
    API_MAX_BODY_BYTES = 20 * 1024 * 1024  # larger API requests are refused with 413
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    # Chat channels: off until their credentials are set.
    TELEGRAM_BOT_TOKEN = ""
    TELEGRAM_MODE = "polling"  # polling (getUpdates from the scheduler) | webhook (POST /webhooks/telegram)
    TELEGRAM_WEBHOOK_SECRET = ""  # compared with X-Telegram-Bot-Api-Secret-Token
    TELEGRAM_API_BASE = "https://api.telegram.org"
    WHATSAPP_TOKEN = ""
    WHATSAPP_PHONE_NUMBER_ID = ""
    WHATSAPP_APP_SECRET = ""  # checks X-Hub-Signature-256
    WHATSAPP_VERIFY_TOKEN = ""  # the webhook verification handshake
    WHATSAPP_API_BASE = "https://graph.facebook.com/v21.0"
    WHATSAPP_TEMPLATE_NAME = ""  # sent instead of free text outside the 24-hour window
    WHATSAPP_TEMPLATE_LANG = "id"
    CHAT_RATE_LIMIT = 20  # messages per minute per chat
    # Satisfaction survey: how long an invitation's link stays open. PUBLIC_URL is the address
    # citizens reach the helpdesk at, for links sent by e-mail and chat (survey links; the status
    # link in acknowledgements); empty: the request's host for survey links, no link in acks.
    SURVEY_VALID_DAYS = 30
    PUBLIC_URL = ""
    # E-mail (config/mail.py derives IMAP_BOXES and SMTP from these): off until a mailbox is set.
    IMAP_HOST = ""
    IMAP_PORT = ""  # default 993 for ssl, 143 for starttls and plain
    IMAP_SECURITY = "ssl"  # ssl | starttls | plain (plain only for a server on loopback)
    IMAP_USER = ""
    IMAP_PASSWORD = ""
    IMAP_ADDRESS = ""  # the mailbox's own address; default IMAP_USER when that is one
    IMAP_FOLDER = "INBOX"
    IMAP_PROCESSED_FOLDER = "Processed"  # taken-in mail is moved here after its commit, never deleted
    IMAP_QUARANTINE_FOLDER = "Quarantine"  # mail that went to the quarantine is moved here
    IMAP_CA_FILE = ""  # a CA bundle for a server with its own certificate
    IMAP_MAILBOXES = ""  # more mailboxes, e.g. "ppid,lapor": each set with IMAP_<NAME>_USER, …
    IMAP_BATCH = 50  # messages fetched per round trip
    IMAP_BATCH_BYTES = 20 * 1024 * 1024  # … and at most this many bytes
    IMAP_MAX_MESSAGE_BYTES = 50 * 1024 * 1024  # larger mail stays on the server, quarantined by its headers
    IMAP_IDLE_SECONDS = 25  # after a round, wait this long for new mail with IDLE (0: plain polling)
    IMAP_TIMEOUT = 60
    SMTP_HOST = ""
    SMTP_PORT = ""  # default 465 for ssl, 587 for starttls, 25 for plain
    SMTP_SECURITY = "starttls"  # ssl | starttls | plain
    SMTP_USER = ""
    SMTP_PASSWORD = ""
    SMTP_FROM = ""  # "Layanan Pengaduan <pengaduan@kantor.go.id>"; default the first mailbox
    SMTP_CA_FILE = ""
    SMTP_TIMEOUT = 30
    MAIL_DOMAIN = ""  # right-hand side of our Message-IDs; default the domain of SMTP_FROM
    # Classifier (R4): a proposal at or above this confidence is applied, still unconfirmed;
    # below it, it waits for an officer. 1 = never apply, officers confirm every proposal.
    CLASSIFIER_MIN_CONFIDENCE = 0.7

    # Names of settings that are integers / booleans when read from the environment.
    SESSION_COOKIE_NAME = "helpdesk_session"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = 8 * 3600  # one working day
    # Web layer
    LANGUAGES = "id,en"  # the first is the default
    MAX_CONTENT_LENGTH = 25 * 1024 * 1024  # whole request; single files are checked below
    UPLOAD_MAX_BYTES = 5 * 1024 * 1024
    UPLOAD_MAX_FILES = 5
    UPLOAD_TYPES = "pdf,jpg,jpeg,png,docx,xlsx,txt"
    COMPLAINT_FORM_RATE_LIMIT = "10 per hour;30 per day"
    LOGIN_RATE_LIMIT = "20 per minute"
    LOGIN_MAX_FAILURES = 5
    LOGIN_LOCK_MINUTES = 15
    QUEUE_PAGE_SIZE = 50
    # Shown on the public "complaint channels" page; one "label: value" a line.
    COMPLAINT_CHANNELS = ("Formulir web: halaman Lapor di situs ini\n"
                          "Datang langsung: loket pengaduan, Senin–Jumat 07.30–16.00\n"
                          "Kotak pengaduan: di ruang tunggu pelayanan")

    _INTS = {"ANSWER_WORKING_DAYS", "COMPLAINT_WINDOW_DAYS", "ATTACHMENT_MAX_BYTES", "API_MAX_BODY_BYTES",
             "CHAT_RATE_LIMIT", "MAX_CONTENT_LENGTH", "UPLOAD_MAX_BYTES", "UPLOAD_MAX_FILES",
             "LOGIN_MAX_FAILURES", "LOGIN_LOCK_MINUTES", "QUEUE_PAGE_SIZE", "PERMANENT_SESSION_LIFETIME",
             "SURVEY_VALID_DAYS", "SCHEDULER_LEASE_SECONDS", "SCHEDULER_MISFIRE_GRACE_SECONDS",
             "ESCALATE_HEAD_AFTER_DAYS", "IMAP_BATCH", "IMAP_BATCH_BYTES", "IMAP_MAX_MESSAGE_BYTES",
             "IMAP_IDLE_SECONDS", "IMAP_TIMEOUT", "SMTP_TIMEOUT"}
    _BOOLS = {"DEBUG", "TESTING", "SESSION_COOKIE_SECURE"}
    _FLOATS = {"CLASSIFIER_MIN_CONFIDENCE"}


class ProductionConfig(Config):
    ENV = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    SCHEDULER = "off"


class TestingConfig(Config):
    ENV = "testing"
    TESTING = True
    SECRET_KEY = "testing-only-secret"
    DATABASE_URL = "sqlite://"
    SCHEDULER = "off"
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False


PROFILES = {"development": Config, "production": ProductionConfig, "testing": TestingConfig}


def load(overrides: dict | None = None, environ: dict | None = None, instance_path: str | Path | None = None) -> dict:
    """Build the settings dict: class defaults, then HELPDESK_* variables, then overrides.

    ``instance_path`` (the app's instance folder): where development keeps its generated secret key.
    """
    environ = os.environ if environ is None else environ
    overrides = dict(overrides or {})
    profile = overrides.pop("ENV", None) or environ.get(PREFIX + "ENV", "development")
    if profile not in PROFILES:
        raise ConfigError(f"HELPDESK_ENV must be one of {sorted(PROFILES)}, not {profile!r}")
    cls = PROFILES[profile]
    settings = {k: getattr(cls, k) for k in dir(cls) if k.isupper()}
    for key, raw in environ.items():
        if not key.startswith(PREFIX) or key == PREFIX + "ENV":
            continue
        name = key[len(PREFIX):]
        if name in Config._INTS:
            try:
                settings[name] = int(raw)
            except ValueError as exc:
                raise ConfigError(f"{key} must be a whole number, not {raw!r}") from exc
        elif name in Config._BOOLS:
            settings[name] = parse_boolean(raw)
        elif name in Config._FLOATS:
            try:
                settings[name] = float(raw)
            except ValueError as exc:
                raise ConfigError(f"{key} must be a number, not {raw!r}") from exc
        else:
            settings[name] = raw
    settings.update(overrides)
    settings["ENV"] = profile
    _validate(settings, instance_path)
    return settings


DEV_KEY_FILE = "secret_key"


def dev_secret_key(instance_path: str | Path) -> str:
    """Development's secret key, generated once and kept in the instance folder (mode 0600).

    Every process and restart reads the same key, so sessions survive a restart and several
    workers accept each other's cookies. The first process to write it wins; the others read it.
    """
    path = Path(instance_path) / DEV_KEY_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(50):  # another process may be writing it this very moment
            key = path.read_text().strip()
            if key:
                return key
            time.sleep(0.02)
        raise ConfigError(f"the development secret key file {path} is empty; delete it to make a new one")
    key = secrets.token_hex(32)
    with os.fdopen(fd, "w") as out:
        out.write(key + "\n")
    return key


def _validate(settings: dict, instance_path: str | Path | None = None) -> None:
    if not settings.get("SECRET_KEY"):
        if settings["ENV"] == "production":
            raise ConfigError("HELPDESK_SECRET_KEY must be set in production")
        # Development: one generated key kept in the instance folder; without one (a plain
        # settings look-up, no app), a random key for this process.
        settings["SECRET_KEY"] = dev_secret_key(instance_path) if instance_path else secrets.token_hex(32)
    elif settings["ENV"] == "production" and len(settings["SECRET_KEY"]) < 32:
        raise ConfigError("HELPDESK_SECRET_KEY must be at least 32 characters in production")
    if settings["ENV"] == "production" and settings["DATABASE_URL"].startswith("sqlite://") \
            and settings["DATABASE_URL"] in ("sqlite://", "sqlite:///:memory:"):
        raise ConfigError("an in-memory database cannot be used in production")
    try:
        from zoneinfo import ZoneInfo
        ZoneInfo(settings["TIMEZONE"])
    except Exception as exc:  # ZoneInfoNotFoundError, ValueError
        raise ConfigError(f"HELPDESK_TIMEZONE {settings['TIMEZONE']!r} is not a known time zone") from exc
    if settings["SURVEY_VALID_DAYS"] < 1:
        raise ConfigError("HELPDESK_SURVEY_VALID_DAYS must be at least 1")
    if settings["TELEGRAM_MODE"] not in ("polling", "webhook"):
        raise ConfigError(f"HELPDESK_TELEGRAM_MODE must be polling or webhook, not {settings['TELEGRAM_MODE']!r}")
    if settings["SCHEDULER"] not in ("embedded", "off"):
        raise ConfigError(f"HELPDESK_SCHEDULER must be embedded or off, not {settings['SCHEDULER']!r}")
    try:
        mail.derive(settings)
    except mail.MailConfigError as exc:
        raise ConfigError(str(exc)) from exc
    if not 0 <= settings["CLASSIFIER_MIN_CONFIDENCE"] <= 1:
        raise ConfigError("HELPDESK_CLASSIFIER_MIN_CONFIDENCE must be between 0 and 1, "
                          f"not {settings['CLASSIFIER_MIN_CONFIDENCE']!r}")
    settings["SQLALCHEMY_DATABASE_URI"] = settings["DATABASE_URL"]
