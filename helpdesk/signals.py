"""Domain signals: features react to ticket changes without the core knowing them.

Receivers run inside the caller's transaction (they may add rows; they must not commit).
Each sends ``ticket`` as the sender.
"""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# A new ticket was opened by the intake (kwargs: inbound=InboundMessage, tracking_token=str).
ticket_created = _signals.signal("ticket-created")
# The due date was set, moved or cleared (kind change, pause, resume) (kwargs, both optional:
# cal=the OfficeCalendar the caller used, new=True for a ticket just opened, which has no reminders yet).
deadline_changed = _signals.signal("deadline-changed")
# The status changed (kwargs: before=str, after=str, user=User|None).
status_changed = _signals.signal("status-changed")
# A message from the reporter joined an existing ticket (kwargs: message=Message).
reporter_replied = _signals.signal("reporter-replied")
