"""Choices of the exchange app: hand-over requests between cities (协查) and the
national infectious-disease report card (传染病报告卡)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Direction(models.TextChoices):
    OUT = "out", _("Sent to another city")
    IN = "in", _("Received from another city")


class Reason(models.TextChoices):
    """Why the person is handed over."""

    CLOSE_CONTACT = "close_contact", _("Close contact of a case")
    SECONDARY = "secondary", _("Contact of a close contact")
    ARRIVAL = "arrival", _("Arrival from a risk area")
    SCREENING = "screening", _("Person to screen")


class Ask(models.TextChoices):
    """What the receiving city is asked to do."""

    OBSERVE = "observe", _("Find and place under medical observation")
    SCREEN = "screen", _("Find and screen (door-to-door)")
    TEST = "test", _("Find and take a nucleic acid test")


class State(models.TextChoices):
    """A request's state; "overdue" is derived from the deadline and the clock."""

    WAITING = "waiting", _("Waiting for delivery")
    OPEN = "open", pgettext_lazy("assistance request", "Open")
    ANSWERED = "answered", _("Answered")


class Answer(models.TextChoices):
    """The receiving city's answer that closes the loop."""

    FOUND = "found", _("Found")
    OBSERVED = "observed", _("Under observation")
    NOT_FOUND = "not_found", _("Not found")
    MOVED_ON = "moved_on", _("Moved on")


class Kind(models.TextChoices):
    """The kind of a signed message."""

    REQUEST = "request", pgettext_lazy("assistance request", "Request")
    ANSWER = "answer", _("Answer")


class Channel(models.TextChoices):
    HTTP = "http", _("Exchange endpoint")
    FILE = "file", _("File")


class CardKind(models.TextChoices):
    """报卡类别 and deletion (删除) of a card version."""

    INITIAL = "initial", _("Initial report")
    REVISION = "revision", _("Revision")
    DELETION = "deletion", _("Deletion")
