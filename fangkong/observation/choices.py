"""Choices of the observation app (医学观察)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext


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


class Symptom(models.TextChoices):
    FEVER = "fever", _("Fever")
    COUGH = "cough", _("Cough")
    SHORTNESS_OF_BREATH = "shortness_of_breath", _("Shortness of breath")
    FATIGUE = "fatigue", _("Fatigue")
    SORE_THROAT = "sore_throat", _("Sore throat")
    DIARRHOEA = "diarrhoea", _("Diarrhoea")
    LOSS_OF_TASTE_SMELL = "loss_of_taste_smell", _("Loss of taste or smell")
    OTHER = "other", _("Other")


class ReporterKind(models.TextChoices):
    SELF = "self", _("The person")
    STAFF = "staff", _("Site staff")
    GRID_WORKER = "grid_worker", _("Grid worker")
    HOUSEHOLD_HEAD = "household_head", _("Household head")


def symptom_labels(values: list[str] | tuple[str, ...]) -> str:
    """Stored symptom values as the reader's words (never the raw values)."""
    known = set(Symptom.values)
    words = [str(Symptom(v).label) if v in known else str(v) for v in values]
    return pgettext("list separator", ", ").join(words)


def symptom_summary(temperature: object, symptoms: list[str] | tuple[str, ...]) -> str:
    """A reading for a list: "38.2 °C · 发热、咳嗽"."""
    parts = [f"{temperature} °C"] if temperature is not None else []
    if symptoms:
        parts.append(symptom_labels(symptoms))
    return " · ".join(parts)


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
