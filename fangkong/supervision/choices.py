"""Choices of supervision: inspection kinds, topics, outcomes, deciding bodies."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InspectionKind(models.TextChoices):
    OPEN = "open", _("Open (announced)")
    UNANNOUNCED = "unannounced", _("Unannounced (暗访)")


class InspectionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RECORDED = "recorded", _("Recorded")


class Topic(models.TextChoices):
    SCREENING = "screening", _("Screening")
    OBSERVATION = "observation", _("Observation")
    CHECKPOINTS = "checkpoints", _("Checkpoints")
    SUPPLIES = "supplies", _("Supplies")
    CLINICAL = "clinical", _("Clinical")
    PUBLIC_INFORMATION = "public_information", _("Public information")
    MOBILISATION = "mobilisation", _("Mobilisation")


class Outcome(models.TextChoices):
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")
    NOT_APPLICABLE = "na", _("Not applicable")


class Severity(models.TextChoices):
    MINOR = "minor", _("Minor")
    SERIOUS = "serious", _("Serious")


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("Awaiting rectification")
    REPLIED = "replied", _("Replied, awaiting verification")
    VERIFIED = "verified", _("Verified by the inspector")
    CLOSED = "closed", _("Closed")


class CommendingBody(models.TextChoices):
    PARTY_COMMITTEE = "party_committee", _("Party committee")
    ORGANISATION_DEPARTMENT = "organisation_department", _("Organisation department")
    HEADQUARTERS = "headquarters", _("Headquarters")
    DISCIPLINE_INSPECTION = "discipline_inspection", _("Discipline inspection")


class DecidingBody(models.TextChoices):
    DISCIPLINE_INSPECTION = "discipline_inspection", _("Discipline inspection")
    ORGANISATION_DEPARTMENT = "organisation_department", _("Organisation department")
