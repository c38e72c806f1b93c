"""The symptoms a reading or a declaration names, and their words for the reader: one
vocabulary for observation check-ins, residents' daily check-ins and self-service
declarations. Stored as the values; shown only through `symptom_labels`."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext


class Symptom(models.TextChoices):
    FEVER = "fever", _("Fever")
    COUGH = "cough", _("Cough")
    SHORTNESS_OF_BREATH = "shortness_of_breath", _("Shortness of breath")
    FATIGUE = "fatigue", _("Fatigue")
    SORE_THROAT = "sore_throat", _("Sore throat")
    DIARRHOEA = "diarrhoea", _("Diarrhoea")
    LOSS_OF_TASTE_SMELL = "loss_of_taste_smell", _("Loss of taste or smell")
    OTHER = "other", _("Other")


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
