"""Choices of the screening app (人员排查)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceKind(models.TextChoices):
    TELECOM = "telecom", _("Telecom operator")
    RAIL = "rail", _("Rail passengers")
    FLIGHT = "flight", _("Flight passengers")
    POLICE = "police", _("Public security push")
    SELF = "self", _("Self-declaration")
    OTHER = "other", _("Other")


class ListStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


class Match(models.TextChoices):
    EXISTING = "existing", _("Matched to an existing person")
    CREATED = "created", _("New person registered")


class Placement(models.TextChoices):
    ADDRESS = "address", _("By address")
    ALIAS = "alias", _("By alias")
    REGISTRY = "registry", _("By the person's registered grid")
    EXCEPTION = "exception", _("Address not matched")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("To visit")
    DONE = "done", _("Visited")
    ESCALATED = "escalated", _("Escalated to the town")


class Outcome(models.TextChoices):
    CLEARED = "cleared", _("Cleared")
    HOME = "home", _("Home observation")
    CENTRAL = "central", _("Centralised observation")
    FEVER_CLINIC = "fever_clinic", _("Referral to a fever clinic")
    NOT_FOUND = "not_found", _("Not found (escalated to the town)")
    MOVED = "moved", _("Moved to another jurisdiction")


# Outcomes that start observation or a referral: handed over to those capabilities.
HANDOVER_OUTCOMES = {Outcome.HOME, Outcome.CENTRAL, Outcome.FEVER_CLINIC}
# Outcomes that leave the person under control (the stock still to be cleared).
UNDER_CONTROL_OUTCOMES = HANDOVER_OUTCOMES


class Handover(models.TextChoices):
    NONE = "", _("None")
    PENDING = "pending", _("Handover pending")
    DONE = "done", _("Handed over")


class Contact(models.TextChoices):
    NONE = "none", _("No contact with cases")
    SUSPECTED = "suspected", _("Possible contact")
    CONFIRMED = "confirmed", _("Contact with a confirmed case")


class Health(models.TextChoices):
    WELL = "well", _("Well")
    FEVER = "fever", _("Fever")
    SYMPTOMS = "symptoms", _("Other symptoms (cough, fatigue …)")


class ExceptionKind(models.TextChoices):
    UNMATCHED = "unmatched", _("Address not matched")
    AMBIGUOUS = "ambiguous", _("Address ambiguous")
    NOT_FOUND = "not_found", _("Person not found at the address")
    MOVED = "moved", _("Moved; new address not matched")


class ExceptionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ASSIGNED = "assigned", _("Assigned")


# The columns a pushed row may carry; a source maps its file's headers to these.
FIELDS = {
    "name": _("Name"),
    "id_number": _("Resident ID"),
    "phone": _("Mobile phone"),
    "origin": _("Origin (province/city/county)"),
    "arrival_date": _("Arrival date"),
    "arrival_time": _("Arrival time"),
    "transport": _("Transport"),
    "transport_no": _("Train / flight / coach / plate number"),
    "address": _("Stated address"),
    "itinerary": _("Itinerary (places passed through)"),
    "birth_date": _("Birth date (checked against the ID)"),
}

# Metrics a named checklist item may point at (numerator / denominator).
METRICS = {
    "pushed": _("Pushed"),
    "visited": _("Visited"),
    "cleared": _("Cleared"),
    "under_control": _("Under control"),
    "open": _("To visit"),
    "overdue": _("Overdue"),
    "escalated": _("Escalated"),
    "exceptions": _("Unassigned exceptions"),
    "handover_pending": _("Handover pending"),
}
