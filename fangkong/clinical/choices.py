"""Choices of the clinical pathway (临床救治)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class FacilityKind(models.TextChoices):
    FEVER_CLINIC = "fever_clinic", _("Fever clinic")
    DESIGNATED_HOSPITAL = "designated_hospital", _("Designated hospital")


class BedKind(models.TextChoices):
    ISOLATION = "isolation", _("Isolation")
    NEGATIVE_PRESSURE = "negative_pressure", _("Negative-pressure")
    ICU = "icu", _("ICU")


class Disposition(models.TextChoices):
    HOME = "home", _("Home with follow-up")
    OBSERVATION = "observation", _("Medical observation")
    SUSPECTED = "suspected", _("Suspected case")


class EpiItem(models.TextChoices):
    """R7 epidemiological history (diagnosis protocol, 6th ed.), within 14 days."""

    TRAVEL = "travel", _("Travel to or residence in an area with cases")
    CONTACT_INFECTED = "contact_infected", _("Contact with an infected person (positive test)")
    CONTACT_FEVER_FROM_AREA = (
        "contact_fever_from_area",
        _("Contact with feverish or respiratory patients from an area with cases"),
    )
    CLUSTER = "cluster", _("Clustered onset (2+ cases at home, office, school…)")


class ClinicalItem(models.TextChoices):
    """R7 clinical manifestations."""

    FEVER_RESPIRATORY = "fever_respiratory", _("Fever and/or respiratory symptoms")
    IMAGING = "imaging", _("Imaging features of pneumonia")
    BLOOD = "blood", _("Normal or low white cells, or low lymphocytes")


class Symptom(models.TextChoices):
    FEVER = "fever", _("Fever")
    COUGH = "cough", _("Cough")
    SHORTNESS_OF_BREATH = "shortness_of_breath", _("Shortness of breath")
    SORE_THROAT = "sore_throat", _("Sore throat")
    FATIGUE = "fatigue", _("Fatigue")
    DIARRHOEA = "diarrhoea", _("Diarrhoea")
    LOSS_OF_TASTE_SMELL = "loss_of_taste_smell", _("Loss of taste or smell")


RESPIRATORY = {"cough", "shortness_of_breath", "sore_throat"}


class Status(models.TextChoices):
    SUSPECTED = "suspected", _("Suspected")
    CONFIRMED = "confirmed", pgettext_lazy("case class", "Confirmed")
    ASYMPTOMATIC = "asymptomatic", _("Asymptomatic infection")
    EXCLUDED = "excluded", _("Excluded")


# Classes that start the R9 reporting clocks.
REPORTABLE = {Status.SUSPECTED, Status.CONFIRMED, Status.ASYMPTOMATIC}


class Source(models.TextChoices):
    """Where the infection was acquired (感染来源), from the case investigation."""

    LOCAL = "local", _("Local (acquired in the city)")
    OUTSIDE_PROVINCE = "outside_province", _("Imported from outside the province")
    OTHER_CITY = "other_city", _("Imported from another city of the province")
    UNKNOWN = "unknown", _("Unknown (under investigation)")


# Sources counted as imported by the briefing (Rt: they infect but are not infected
# locally); "unknown" counts as local until the investigation says otherwise.
IMPORTED_SOURCES = frozenset({Source.OUTSIDE_PROVINCE.value, Source.OTHER_CITY.value})


class Severity(models.TextChoices):
    MILD = "mild", _("Mild")
    MODERATE = "moderate", _("Moderate")
    SEVERE = "severe", _("Severe")
    CRITICAL = "critical", _("Critical")


NEEDS_EXPERTS = {Severity.SEVERE, Severity.CRITICAL}


class Outcome(models.TextChoices):
    DISCHARGED = "discharged", _("Discharged")
    DIED = "died", _("Died")


class SampleType(models.TextChoices):
    THROAT = "throat_swab", _("Throat swab")
    NASAL = "nasal_swab", _("Nasopharyngeal swab")
    SPUTUM = "sputum", _("Sputum")
    BLOOD = "blood", _("Blood")
    OTHER = "other", _("Other")


class Result(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    NEGATIVE = "negative", _("Negative")


class TransferStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    BED_ASSIGNED = "bed_assigned", _("Bed assigned")
    IN_TRANSPORT = "in_transport", _("In transport")
    ARRIVED = "arrived", _("Arrived")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_TRANSFER = (TransferStatus.REQUESTED, TransferStatus.BED_ASSIGNED, TransferStatus.IN_TRANSPORT)
HOLDS_BED = (TransferStatus.BED_ASSIGNED, TransferStatus.IN_TRANSPORT, TransferStatus.ARRIVED)


class ClockKind(models.TextChoices):
    REPORT = "report", _("Direct report (2 h)")
    INVESTIGATION = "investigation", _("Case investigation (24 h)")
    EMERGENCY = "emergency", _("Emergency report (2 h)")


class TeamRole(models.TextChoices):
    LEAD = "lead", _("Team lead")
    MEMBER = "member", pgettext_lazy("expert team", "Member")
