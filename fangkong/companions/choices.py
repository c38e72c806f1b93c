from django.db import models
from django.utils.translation import gettext_lazy as _


class Engine(models.TextChoices):
    DUCKDB = "duckdb", _("DuckDB (embedded)")
    SPARK = "spark", _("Apache Spark")


class Decision(models.TextChoices):
    PENDING = "pending", _("To review")
    CONFIRMED = "confirmed", _("Confirmed")
    DISMISSED = "dismissed", _("Dismissed")


# Settings of a stay (fangkong.analytics.companions.SETTINGS), for labels.
SETTING_LABELS = {
    "0": _("Shared 800 m cell (telecom)"),
    "1": _("Dining venue"),
    "2": _("Market"),
    "3": _("Shop"),
    "4": _("Health care"),
    "5": _("Public transport"),
}
