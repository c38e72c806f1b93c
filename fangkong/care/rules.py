"""The business rules of care, as plain functions over plain values."""

import datetime as dt

from django.utils.translation import gettext as _

from fangkong.care.choices import PHOTO_TYPES
from fangkong.core import private_values


def deadline_for(reported_at: dt.datetime, solve_days: int) -> dt.datetime:
    """A difficulty is due `solve_days` after it was reported (dated configuration)."""
    return reported_at + dt.timedelta(days=solve_days)


def photo_problem(image_format: str | None, size: int, max_kb: int) -> str | None:
    """Why a photo is refused (type or size), or None when it is acceptable."""
    if image_format not in PHOTO_TYPES:
        return _("a photo must be a JPEG, PNG or WebP image")
    if size > max_kb * 1024:
        return _("a photo may be at most %(kb)d KB") % {"kb": max_kb}
    return None


def rating_problem(rating: int) -> str | None:
    if not 1 <= rating <= 5:
        return _("rate from 1 to 5")
    return None


def private_values_in(text: str) -> list[str]:
    """Reasons why a deed may not be published: the ground floor's check for
    values shaped like a resident ID or a mobile number (`core.private_values`, shared
    with the public side's bulletins)."""
    found = []
    if private_values.id_shaped(text):
        found.append(_("a value shaped like a resident ID"))
    if private_values.phone_shaped(text):
        found.append(_("a value shaped like a phone number"))
    return found
