from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OrganisationKind(models.TextChoices):
    COMMITTEE = "committee", _("Party committee")
    GENERAL_BRANCH = "general_branch", _("General Party branch")
    BRANCH = "branch", _("Party branch")


class UnitKind(models.TextChoices):
    OFFICE = "office", _("Government office")
    ENTERPRISE = "enterprise", _("Enterprise")
    HOSPITAL = "hospital", _("Hospital")
    SCHOOL = "school", _("School")
    OTHER = "other", _("Other unit")


class HealthStatus(models.TextChoices):
    HEALTHY = "healthy", _("Healthy, fit for duty")
    LIMITED = "limited", _("Fit for light duty only")
    UNWELL = "unwell", _("Unwell, off duty")
    OBSERVATION = "observation", _("Under observation, off duty")


FIT_FOR_DUTY = {HealthStatus.HEALTHY, HealthStatus.LIMITED}


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


ACTIVE_REGISTRATION = [RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED]


class PostKind(models.TextChoices):
    CHECKPOINT = "checkpoint", _("Checkpoint")
    GATE = "gate", pgettext_lazy("post kind", "Gate")
    SCREENING = "screening", _("Screening team")
    DELIVERY = "delivery", _("Delivery team")
    HOTLINE = "hotline", _("Hotline")
    OTHER = "other", _("Other post")
