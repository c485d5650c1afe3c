"""E-mail channel: the IMAP poller, the SMTP sender, acknowledgements, and the channel's status."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the poll job, the sender and the acknowledgement; tell the admin which mailboxes run."""
    from channels.mail import smtp  # noqa: F401  (registers the "email" sender)
    from helpdesk.channels_state import announce
    from helpdesk.mail import acknowledge, poller  # noqa: F401  (registers the job and the receiver)

    announce(app, channel_states(app.config), family="email")


def channel_states(config) -> dict[str, tuple[bool, str]]:
    """One state per configured mailbox ("email:<address>") and one for outgoing mail ("smtp")."""
    states = {}
    boxes = config["IMAP_BOXES"]
    if not boxes:
        states["email"] = (False, "no IMAP mailbox configured (HELPDESK_IMAP_HOST, HELPDESK_IMAP_USER, "
                                  "HELPDESK_IMAP_PASSWORD)")
    for box in boxes:
        if box["missing"]:
            states[box["state"]] = (False, "not configured: " + ", ".join(box["missing"]) + " missing")
        else:
            states[box["state"]] = (True, f"IMAP {box['host']}:{box['port']} ({box['security']}), folder "
                                          f"{box['folder']} → {box['processed_folder']}")
    smtp = config["SMTP"]
    if smtp["host"] and smtp["from"]:
        states["smtp"] = (True, f"SMTP {smtp['host']}:{smtp['port']} ({smtp['security']}) as {smtp['from']}")
    else:
        states["smtp"] = (False, "no SMTP server configured (HELPDESK_SMTP_HOST, HELPDESK_SMTP_FROM): "
                                 "e-mail replies wait in the outbox")
    return states
