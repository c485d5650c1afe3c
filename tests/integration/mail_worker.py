"""Run in a child process: drain a mailbox with the poller until it is empty, saying "taken" per mail.

Started warm (app built, modules imported), it waits for a line on stdin before it begins, so
the crash test can kill it at random moments of the ingest itself.
"""
from __future__ import annotations

import sys


def main(url: str, attachment_dir: str, port: str, user: str, password: str) -> None:
    from helpdesk import create_app
    from helpdesk.mail import poller

    app = create_app({"ENV": "testing", "DATABASE_URL": url, "ATTACHMENT_DIR": attachment_dir,
                      "IMAP_HOST": "127.0.0.1", "IMAP_PORT": int(port), "IMAP_SECURITY": "plain",
                      "IMAP_USER": user, "IMAP_PASSWORD": password, "IMAP_ADDRESS": "pengaduan@kantor.go.id",
                      "IMAP_BATCH": 10, "IMAP_IDLE_SECONDS": 0})
    real = poller.ingest_raw_email

    def ingest_and_say_so(raw, **kw):
        outcome = real(raw, **kw)
        print("taken", flush=True)
        return outcome
    poller.ingest_raw_email = ingest_and_say_so
    with app.app_context():
        from helpdesk.extensions import db
        db.session.execute(db.text("SELECT 1"))  # connected before the start line
        print("ready", flush=True)
        sys.stdin.readline()
        while True:
            (result,) = poller.poll(poller.configured_mailboxes()).values()
            if "error" in result or "backoff_until" in result:
                print(f"error {result}", flush=True)
                sys.exit(2)
            if not result:
                break
    print("done", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:6])
