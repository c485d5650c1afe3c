"""Imports every model so metadata (and Alembic) sees the whole schema."""
from helpdesk.api.models import ApiToken  # noqa: F401
from helpdesk.catalog.models import CalendarChange, Component, Service, Unit  # noqa: F401
from helpdesk.chat.models import ChatSession, ChatUpdate  # noqa: F401
from helpdesk.channels_state import ChannelState  # noqa: F401
from helpdesk.classify.models import ClassifierModel  # noqa: F401
from helpdesk.intake.models import QuarantineItem  # noqa: F401
from helpdesk.outbox.models import OutboxItem  # noqa: F401
from helpdesk.reminders.models import Reminder  # noqa: F401
from helpdesk.survey.models import ServedCount, SurveyInvitation, SurveyResponse  # noqa: F401
from helpdesk.tickets.models import (Attachment, Contact, Event, Message, Pause, Reporter,  # noqa: F401
                                     Ticket, TicketCounter)
from helpdesk.users.models import User  # noqa: F401
from helpdesk.triage.models import ApipRequest  # noqa: F401
from helpdesk.scheduler.models import JobState, apscheduler_jobs  # noqa: F401
