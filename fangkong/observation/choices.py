"""Choices of the observation app (医学观察)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The symptom vocabulary is shared (observation, the health code, self-service).
from fangkong.core.symptoms import Symptom as Symptom
from fangkong.core.symptoms import symptom_labels as symptom_labels
from fangkong.core.symptoms import symptom_summary as symptom_summary


class Reason(models.TextChoices):
    CLOSE_CONTACT = "close_contact", _("Close contact")
    KEY_AREA_ARRIVAL = "key_area_arrival", _("Arrival from a key area")
    POST_DISCHARGE = "post_discharge", _("After discharge")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    ACTIVE = "active", _("Under observation")
    REFERRED = "referred", _("Referred to a fever clinic")
    RELEASED = "released", _("Released")
    TRANSFERRED_OUT = "transferred_out", _("Transferred out")
    LOST = "lost", _("Lost to follow-up")


OPEN_STATUSES = (Status.ACTIVE, Status.REFERRED)


class PlaceKind(models.TextChoices):
    HOME = "home", _("Home observation")
    SITE = "site", _("Centralised site")


class ReporterKind(models.TextChoices):
    SELF = "self", _("The person")
    STAFF = "staff", _("Site staff")
    GRID_WORKER = "grid_worker", _("Grid worker")
    HOUSEHOLD_HEAD = "household_head", _("Household head")


class Window(models.TextChoices):
    MORNING = "morning", _("Morning")
    EVENING = "evening", _("Evening")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class ReferralStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the fever clinic")
    EXCLUDED = "excluded", _("Excluded: back to observation")
    ADMITTED = "admitted", _("Taken over by the clinical pathway")
