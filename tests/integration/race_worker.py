"""Run in a separate process: take in one message after a shared start signal."""
from __future__ import annotations

import json
import sys
import time


def main(url: str, attachment_dir: str, start_at: float, external_id: str) -> None:
    from helpdesk import create_app
    from helpdesk.intake.service import ingest
    from tests.factories import inbound

    app = create_app({"ENV": "testing", "DATABASE_URL": url, "ATTACHMENT_DIR": attachment_dir})
    with app.app_context():
        from helpdesk.extensions import db
        db.session.execute(db.text("SELECT 1"))  # connect before the start line
        time.sleep(max(0.0, start_at - time.time()))
        result = ingest(inbound(external_id=external_id, raw=b"the same raw bytes"))
        print(json.dumps({"ticket": result.ticket.number, "created": result.created,
                          "duplicate": result.duplicate}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4])
