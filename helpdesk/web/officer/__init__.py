"""The officers' area: the queue, the ticket page and its actions, staff entry of reports."""
from flask import Blueprint

bp = Blueprint("officer", __name__, url_prefix="/petugas")

from helpdesk.web.officer import entry, files, quarantine, queue_views, ticket_views  # noqa: E402,F401  (routes)
