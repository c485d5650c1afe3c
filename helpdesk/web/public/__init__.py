"""What citizens see: the complaint form, its receipt, the status page, channels and statistics."""
from flask import Blueprint

bp = Blueprint("public", __name__)

from helpdesk.web.public import report, stats, status  # noqa: E402,F401  (routes)
