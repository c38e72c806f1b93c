"""Choices of the supplies app (物资保障)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Category(models.TextChoices):
    PROTECTIVE = "protective", _("Protective")
    MEDICAL = "medical", _("Medical")
    DISINFECTION = "disinfection", _("Disinfection")
    NECESSITY = "necessity", _("Daily necessity")


class WarehouseKind(models.TextChoices):
    CITY_RESERVE = "city_reserve", _("City reserve")
    COUNTY = "county", _("County warehouse")
    HOSPITAL = "hospital", _("Hospital store")
    SITE = "site", _("Site store")


class EntryKind(models.TextChoices):
    RECEIPT = "receipt", _("Receipt")
    ISSUE = "issue", pgettext_lazy("warehouse", "Issue")
    TRANSFER_OUT = "transfer_out", _("Transfer out")
    TRANSFER_IN = "transfer_in", _("Transfer in")
    ADJUSTMENT = "adjustment", _("Adjustment")
    WRITE_OFF = "write_off", _("Expiry write-off")


class Source(models.TextChoices):
    DONATION = "donation", _("Donation")
    PURCHASE = "purchase", _("Purchase")
    ALLOCATION = "allocation", _("Allocation")


class RequesterKind(models.TextChoices):
    MEDICAL = "medical", _("Front-line medical")
    SITE = "site", _("Quarantine site")
    CHECKPOINT = "checkpoint", _("Checkpoint")
    COMMUNITY = "community", _("Community")


class Urgency(models.TextChoices):
    ROUTINE = "routine", _("Routine")
    URGENT = "urgent", _("Urgent")
    CRITICAL = "critical", pgettext_lazy("supply priority", "Critical")


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SHIPPED = "shipped", _("Shipped")
    RECEIVED = "received", _("Received")


class MarketKind(models.TextChoices):
    MARKET = "market", _("Farmers' market")
    SUPERMARKET = "supermarket", _("Supermarket")


# Movements that take units out of a warehouse.
OUTGOING = {EntryKind.ISSUE, EntryKind.TRANSFER_OUT, EntryKind.WRITE_OFF}
