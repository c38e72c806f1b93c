"""Handing a visit's decision over to the capability that carries it out.

Home observation goes to the observation app (医学观察) through its own action; the
decision stays "handover pending" when that cannot be done now (the app absent, the
person already under observation, an arrival too long ago). Centralised observation needs
a room chosen by the site, and a fever-clinic referral needs the clinic: both stay listed
as pending decisions on the handover page."""

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from fangkong.core import clock
from fangkong.screening.choices import Handover, Outcome

log = logging.getLogger(__name__)


def hand_over(user: Any, task: Any) -> str:
    """The handover state for the task's outcome, after trying to hand it over."""
    if task.outcome != Outcome.HOME:
        return Handover.PENDING
    try:
        from fangkong.observation import actions as observation
        from fangkong.observation.choices import Reason
    except ImportError:
        return Handover.PENDING
    subject = task.subject
    arrival = subject.arrival_at
    last_exposure = timezone.localdate(arrival) if arrival else clock.today()
    try:
        observation.start_period(
            user,
            subject.person,
            reason=Reason.KEY_AREA_ARRIVAL if subject.key_area else Reason.OTHER,
            last_exposure=min(last_exposure, clock.today()),
        )
    except (ValidationError, PermissionError) as exc:
        log.info("screening task %s: home observation not started (%s)", task.pk, exc)
        return Handover.PENDING
    return Handover.DONE
