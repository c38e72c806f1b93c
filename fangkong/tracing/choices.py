"""Choices of contact tracing (流调与密接追踪)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Setting(models.TextChoices):
    HOUSEHOLD = "household", _("Household")
    WORKPLACE = "workplace", _("Workplace")
    SCHOOL = "school", _("School")
    TRANSPORT = "transport", _("Transport (train, flight, coach)")
    MEDICAL = "medical", _("Medical care")
    SOCIAL = "social", _("Social gathering")
    OTHER = "other", _("Other")


class TransportKind(models.TextChoices):
    TRAIN = "train", _("Train")
    FLIGHT = "flight", _("Flight")
    COACH = "coach", _("Coach")
    BUS = "bus", _("Bus")


class Category(models.TextChoices):
    CLOSE = "close", _("Close contact")
    GENERAL = "general", _("General contact")
    SECONDARY = "secondary", _("Secondary contact (contact of a close contact)")


class ContactStatus(models.TextChoices):
    PENDING = "pending", _("To confirm")
    CONFIRMED = "confirmed", _("Confirmed: under management")
    DISMISSED = "dismissed", _("Dismissed")
    BECAME_CASE = "became_case", _("Became a case")


class VenueKind(models.TextChoices):
    SHOP = "shop", _("Shop")
    MARKET = "market", _("Market")
    OFFICE = "office", _("Office")
    BUS = "bus", _("Bus")
    GATE = "gate", _("Residential gate")
    PICKUP = "pickup", _("Delivery pickup point")
    OTHER = "other", _("Other venue")


class Direction(models.TextChoices):
    VISIT = "visit", _("Visit")
    ENTRY = "entry", _("Entry")
    EXIT = "exit", _("Exit")
