"""Choices of the care app (关心关爱、先进事迹)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DifficultyStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_HAND = "in_hand", _("In hand")
    SOLVED = "solved", _("Solved")


class Relation(models.TextChoices):
    SELF = "self", _("Front-line worker")
    FAMILY = "family", _("Family member")


class DeedStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    REJECTED = "rejected", _("Rejected")
    PUBLISHED = "published", _("Published")


# Derived states of a difficulty (stored facts + the clock), for lists and filters.
class DifficultyState(models.TextChoices):
    OPEN = "open", _("Open")
    IN_HAND = "in_hand", _("In hand")
    ESCALATED = "escalated", _("Overdue, escalated")
    SOLVED = "solved", _("Solved")


PHOTO_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
