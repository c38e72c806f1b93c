"""Choices of the command app (C8): response levels, recipient levels, statuses."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ResponseGrade(models.TextChoices):
    """Public-health emergency response level (突发公共卫生事件响应级别)."""

    I = "I", _("Level I (一级响应)")  # noqa: E741
    II = "II", _("Level II (二级响应)")
    III = "III", _("Level III (三级响应)")
    IV = "IV", _("Level IV (四级响应)")


class Direction(models.TextChoices):
    AT_LEAST = "at_least", _("at least the goal")
    AT_MOST = "at_most", _("at most the goal")


class Schedule(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly (Mondays)")


class DecisionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("decision", "Open")
    DONE = "done", _("Done")


# Levels a directive can be sent down to or a report expected from (below the city).
RECIPIENT_LEVELS = ["county", "town", "village", "grid"]
