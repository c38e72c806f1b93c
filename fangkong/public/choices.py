"""Choices of the public side (C13)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BulletinStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class RumourStatus(models.TextChoices):
    REPORTED = "reported", _("Reported")
    CLARIFIED = "clarified", _("Clarified")
    DISMISSED = "dismissed", _("Not a rumour")


class ReportSource(models.TextChoices):
    STAFF = "staff", _("Staff")
    PUBLIC = "public", _("Public")


class Department(models.TextChoices):
    """The department a question is routed to (责任部门)."""

    HEALTH = "health", _("Health")
    COMMUNITY = "community", _("Community / village")
    TRANSPORT = "transport", _("Transport")
    MARKET = "market", _("Market supervision and supplies")
    EDUCATION = "education", _("Education")
    ECONOMY = "economy", _("Economy and resuming work")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Collecting declarations")
    SUBMITTED = "submitted", _("Submitted")
    INSPECTED = "inspected", _("Inspected on site")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class PlanStatus(models.TextChoices):
    FILED = "filed", _("Filed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Returned")


class GatheringKind(models.TextChoices):
    WEDDING = "wedding", _("Wedding")
    FUNERAL = "funeral", _("Funeral")
    BANQUET = "banquet", _("Banquet")
    OTHER = "other", _("Other gathering")


class GatheringSource(models.TextChoices):
    REPORTED = "reported", _("Reported by the family or venue")
    INSPECTION = "inspection", _("Found by inspection (unreported)")


class Handling(models.TextChoices):
    POSTPONED = "postponed", _("Postponed")
    SIMPLIFIED = "simplified", _("Simplified")
    CANCELLED = "cancelled", _("Cancelled")
    STOPPED = "stopped", _("Stopped on site")


class SchoolCheck(models.TextChoices):
    """The return-to-school checklist (开学条件核验)."""

    PLAN = "plan", _("Contingency plan approved by the school board")
    ISOLATION_ROOM = "isolation_room", _("Temporary isolation room ready")
    TEMPERATURE = "temperature", _("Temperature checks at the gate")
    DISINFECTION = "disinfection", _("Classrooms and canteen disinfected")
    MASKS = "masks", _("Masks and disinfectant for 14 days in stock")
    DRILL = "drill", _("Emergency drill held")
