"""Plain-language explanation of a colour: what to do, and the first day the code turns
green if the person reports a normal check-in every day from today (found by running
the colour rules forward day by day, so it always agrees with them)."""

import copy
import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from fangkong.healthcode import rules as code_rules

HORIZON = 90


def green_on(facts: code_rules.Facts, r: Any, today: dt.date) -> dt.date | None:
    """The first day the colour is green, with a normal check-in every day from today;
    None when no number of check-ins makes it green (a case in care, an open observation
    period, a decision of headquarters): those end by a decision of staff."""
    if facts.case_in_care or facts.under_observation or facts.override is not None:
        return None
    f = copy.deepcopy(facts)
    for n in range(HORIZON + 1):
        day = today + dt.timedelta(days=n)
        f.checkins.setdefault(day, False)
        if code_rules.derive(f, r, day)[0] == "green":
            return day
    return None


def advice(facts: code_rules.Facts, colour: str, r: Any, today: dt.date) -> list[str]:
    """What to do, in the order that matters."""
    out: list[str] = []
    if facts.override is not None:
        out.append(_("Your colour was set after a review by staff; ask your community if unsure."))
    if facts.case_in_care:
        out.append(
            _("Follow your doctors' instructions; the code changes when you are discharged.")
        )
    if facts.under_observation:
        out.append(
            _(
                "Stay under medical observation as arranged; the code changes when the "
                "observation ends."
            )
        )
    red_event = facts.high_risk_arrival or facts.close_contact_on
    if colour == "red" and red_event and not facts.under_observation:
        out.append(
            _(
                "Stay at home and tell your community (village) committee; they arrange "
                "medical observation. Report your health here every day: after %(d)s days "
                "and %(k)s days of normal reports in a row the code turns green."
            )
            % {"d": r.red_days, "k": r.red_checkins}
        )
    if colour == "yellow":
        out.append(
            _(
                "Report your health here every day: after %(k)s days of normal reports in a "
                "row the code turns green."
            )
            % {"k": r.yellow_checkins}
        )
    if facts.abnormal_on:
        out.append(
            _(
                "With fever, cough or shortness of breath, wear a mask and go to the nearest "
                "fever clinic without taking public transport."
            )
        )
    if colour == "green":
        out.append(_("Show this code at gates and venues; keep watching your health."))
    return out
