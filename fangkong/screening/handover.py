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
from fangkong.geo.choices import Level
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
    try:
        observation.start_period(user, task.subject.person, **_terms(task, Reason))
    except (ValidationError, PermissionError) as exc:
        log.info("screening task %s: home observation not started (%s)", task.pk, exc)
        return Handover.PENDING
    return Handover.DONE


def _terms(task: Any, reason: Any) -> dict[str, Any]:
    """The observation a visit's decision starts: why (an arrival from a key area, or
    other) and the last exposure (the day of arrival, never after today)."""
    subject = task.subject
    arrival = subject.arrival_at
    last_exposure = timezone.localdate(arrival) if arrival else clock.today()
    return {
        "reason": reason.KEY_AREA_ARRIVAL if subject.key_area else reason.OTHER,
        "last_exposure": min(last_exposure, clock.today()),
    }


# The headquarters that send a person decided for centralised observation to a site; a
# grid or a village is told who does.
SENDING_LEVELS = {Level.CITY, Level.COUNTY, Level.TOWN}


def may_send(user: Any) -> bool:
    """Whether the user sends persons to quarantine sites: a headquarters (a town or
    above) whose role starts observations."""
    level = getattr(getattr(user, "node", None), "level", "")
    return bool(user.may("observation.observationperiod", "add")) and level in SENDING_LEVELS


def sites(user: Any) -> Any:
    """The quarantine sites of the user's area in use, with their free beds
    (`free_beds`), to send a person decided for centralised observation to."""
    from fangkong.observation.models import QuarantineSite

    return QuarantineSite.objects.restrict(user, "view").in_use().with_occupancy()


def site_of(user: Any, pk: Any) -> Any:
    """A site of `sites(user)` by its id, or a refusal naming the field."""
    from django.utils.translation import gettext as _

    from fangkong.core.access import invalid

    found = sites(user).filter(pk=pk).first() if str(pk).isdigit() else None
    if found is None:
        raise invalid("site", _("choose a quarantine site of your area"))
    return found


def to_site(user: Any, task: Any, site: Any) -> None:
    """Centralised observation carried out: the person is sent to the site, whose staff
    assign the room (observation's 待入住) — under the observation already open for
    them, or one started now on the visit's terms."""
    from fangkong.observation import actions as observation
    from fangkong.observation.choices import Reason
    from fangkong.observation.models import ObservationPeriod

    person = task.subject.person
    period = ObservationPeriod.objects.open().filter(person=person).first()
    if period is not None:
        observation.send_to_site(user, period, site)
    else:
        observation.start_period(user, person, site=site, **_terms(task, Reason))
