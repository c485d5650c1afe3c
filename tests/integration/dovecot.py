"""A real Dovecot IMAP server on loopback, with its own config, users and throw-away Maildirs.

Used by the e-mail tests and bench/imap_ingest.py. Needs Debian's ``dovecot-imapd`` and
``openssl`` (``.ci/test-servers`` installs them); a missing binary is an error, not a skip.
"""
from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from email.utils import parsedate_to_datetime
from pathlib import Path

from imapclient import IMAPClient

START_TIMEOUT = 20.0
PASSWORD = "rahasia-uji"  # every user's; a static passdb needs no users file reloads


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def dovecot_binary() -> str:
    found = shutil.which("dovecot") or next((p for p in ("/usr/sbin/dovecot", "/usr/local/sbin/dovecot")
                                             if os.access(p, os.X_OK)), None)
    if not found:
        raise RuntimeError("Dovecot is not installed: run `make test-servers` (apt-get install dovecot-imapd)")
    return found


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost, made with the openssl command."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-keyout", str(key),
                    "-out", str(cert), "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                   check=True, capture_output=True)
    key.chmod(0o644)
    return cert, key


class Dovecot:
    """``start()``, ``add_user()``, ``append()``; ``stop(kill=True)`` simulates a crash."""

    def __init__(self):
        # Outside pytest's private temp dirs: Dovecot's unprivileged processes must reach it.
        self.root = Path(tempfile.mkdtemp(prefix="helpdesk-dovecot-"))
        self.root.chmod(0o755)
        self.port, self.tls_port = free_port(), free_port()
        self.cert, self.key = self_signed_certificate(self.root)
        (self.root / "mail").mkdir(mode=0o755)
        self.process: subprocess.Popen | None = None
        self._write_config()

    def _write_config(self) -> None:
        root = os.geteuid() == 0
        me = pwd.getpwuid(os.getuid()).pw_name
        uid, gid = (65534, 65534) if root else (os.getuid(), os.getgid())
        os.chown(self.root / "mail", uid, gid) if root else None
        users = "default_login_user = dovenull\ndefault_internal_user = dovecot\n" if root else (
            f"default_login_user = {me}\ndefault_internal_user = {me}\n"
            "service imap-login {\n  chroot =\n}\nservice anvil {\n  chroot =\n}\n")
        (self.root / "dovecot.conf").write_text(f"""\
instance_name = helpdesk-test-{uuid.uuid4().hex[:12]}
base_dir = {self.root}/run
state_dir = {self.root}/state
log_path = {self.root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{self.cert}
ssl_key = <{self.key}
disable_plaintext_auth = no
auth_mechanisms = plain login
{users}passdb {{
  driver = static
  args = password={PASSWORD}
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={self.root}/mail/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {self.tls_port}
    ssl = yes
  }}
}}
""")

    def start(self) -> "Dovecot":
        log = open(self.root / "master.out", "ab")
        self.process = subprocess.Popen([dovecot_binary(), "-F", "-c", str(self.root / "dovecot.conf")],
                                        stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Dovecot exited: {self.log()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                    if s.recv(200).startswith(b"* OK"):  # the greeting, not just an open port
                        return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"Dovecot did not greet within {START_TIMEOUT}s: {self.log()}")

    def stop(self, *, kill: bool = False) -> None:
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL if kill else signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None

    def cleanup(self) -> None:
        self.stop(kill=True)
        shutil.rmtree(self.root, ignore_errors=True)

    def log(self) -> str:
        parts = [(self.root / name) for name in ("dovecot.log", "master.out")]
        return "\n".join(p.read_text(errors="replace")[-3000:] for p in parts if p.exists())

    def add_user(self) -> tuple[str, str]:
        """A fresh user (with an empty Maildir): every name logs in with the one test password."""
        return f"u{uuid.uuid4().hex[:10]}", PASSWORD

    def client(self, user: str, password: str = PASSWORD) -> IMAPClient:
        client = IMAPClient("127.0.0.1", port=self.port, ssl=False, timeout=30)
        client.login(user, password)
        return client

    def append(self, user: str, messages: list[bytes], folder: str = "INBOX", password: str = PASSWORD) -> None:
        """Deliver mail with IMAP APPEND (MULTIAPPEND in chunks), each arriving at its Date (when it has one)."""
        with self.client(user, password) as client:
            for start in range(0, len(messages), 200):
                client.multiappend(folder, [_with_date(m) for m in messages[start:start + 200]])

    def count(self, user: str, folder: str, password: str = PASSWORD) -> int:
        with self.client(user, password) as client:
            if not client.folder_exists(folder):
                return 0
            return client.folder_status(folder, [b"MESSAGES"])[b"MESSAGES"]


def _with_date(raw: bytes):
    """The mail with its Date header as the server's arrival time (INTERNALDATE), so tests are repeatable."""
    head = raw.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    value = next((line[5:].strip() for line in head.split("\r\n") if line.lower().startswith("date:")), None)
    try:
        return {"msg": raw, "date": parsedate_to_datetime(value)} if value else raw
    except (TypeError, ValueError):
        return raw
