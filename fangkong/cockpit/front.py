"""The front line's cockpits: a grid worker's visits of the day and missed check-ins,
a clinician's clocks, a quarantine site's day. Reads go through the user's `restrict`,
as the lists behind them (`screening:today`, `observation:tasks`, `clinical:board`,
`observation:list`) do, so a count here is the count of the list it links to."""

from typing import Any

from fangkong.core import clock
from fangkong.people import actions as people_actions

SHOWN = 5  # rows listed on the first screen; the link opens the whole list


def visits(user: Any) -> dict[str, Any]:
    from fangkong.screening.models import ScreeningTask

    if not user.may("screening.screeningtask", "view"):
        return {"allowed": False}
    qs = ScreeningTask.objects.restrict(user, "view").for_today()
    now = clock.now()
    return {
        "allowed": True,
        "total": qs.count(),
        "overdue": qs.filter(due_at__lt=now).count(),
        "rows": list(qs.select_related("subject", "node")[:SHOWN]),
    }


def missed_checkins(user: Any) -> dict[str, Any]:
    """Open missed-check-in tasks, newest first, each with whether its person's phone
    may be revealed for a call (the reveal itself is audited when the button is used)."""
    from fangkong.observation.models import AlertTask

    if not user.may("observation.alerttask", "view"):
        return {"allowed": False}
    qs = (
        AlertTask.objects.restrict(user, "view")
        .filter(status="open")
        .select_related("period__person")
        .order_by("-local_date", "window", "pk")
    )
    rows = []
    for task in qs[:SHOWN]:
        person = task.period.person
        rows.append(
            {
                "task": task,
                "person": person,
                "can_call": people_actions.may_call(user, person),
            }
        )
    return {"allowed": True, "total": qs.count(), "rows": rows}


def clocks(user: Any) -> dict[str, Any]:
    """The R9 clocks still running or overdue on the cases the clinician may see, the
    most urgent first (overdue, then by due time)."""
    from fangkong.clinical import boards
    from fangkong.clinical.models import Case

    if not user.may("clinical.case", "view"):
        return {"allowed": False}
    now = clock.now()
    rows = []
    active = Case.objects.restrict(user, "view").active().select_related("person", "facility")
    for case in active.order_by("report_due", "-pk").iterator(
        chunk_size=500
    ):  # every case: the cards count them all
        for c in boards.clocks(case, now):
            if c["state"] in ("running", "overdue"):
                rows.append({"case": case, **c})
    rows.sort(key=lambda r: (r["state"] != "overdue", r["due"]))
    return {
        "allowed": True,
        "now": now,
        "overdue": sum(1 for r in rows if r["state"] == "overdue"),
        "running": sum(1 for r in rows if r["state"] == "running"),
        "total": len(rows),
        "rows": rows[: SHOWN + 3],
    }


def sites_today(user: Any) -> dict[str, Any]:
    """A quarantine site's day, for each site the account works at (as staff or its
    doctor): residents, those whose stay began today, free beds, those who have not
    checked in today, those with a fever today and those due to leave (planned end today
    or past), each the total of the list its figure links to (`observation:list` of the
    site, cut by `only`; the site's rooms); and the persons sent to the site awaiting a
    room (待入住), each with the site's free rooms to choose from."""
    from django.db.models import Max, Q

    from fangkong.observation.linelists import line_list
    from fangkong.observation.models import ObservationPeriod, QuarantineSite, Room

    if not user.may("observation.observationperiod", "view"):
        return {"allowed": False}
    today = clock.today()
    out = []
    # A site worker's reach in sites is their own sites (observation's narrowing).
    mine = QuarantineSite.objects.restrict(user)
    for site in mine.with_occupancy().order_by("name", "pk"):
        residents = line_list(user, "open", site=site.pk)
        fevers = line_list(user, "open", site=site.pk, only="fever").annotate(
            top=Max("checkins__temperature", filter=Q(checkins__local_date=today))
        )
        leaving = line_list(user, "open", site=site.pk, only="leaving")
        awaiting = (
            ObservationPeriod.objects.restrict(user)
            .awaiting_room(site.pk)  # type: ignore[attr-defined]
            .select_related("person", "grid")
            .order_by("start_date", "pk")
        )
        out.append(
            {
                "site": site,
                "residents": residents.count(),
                "free": site.free_beds,
                "arrivals": line_list(user, "open", site=site.pk, only="arrived").count(),
                "missing": line_list(user, "not_reporting", site=site.pk).count(),
                "fevers": fevers.count(),
                "fever_rows": list(fevers[:SHOWN]),
                "leaving": leaving.count(),
                "leaving_rows": list(leaving[:SHOWN]),
                "awaiting": list(awaiting),
                "free_rooms": list(Room.objects.restrict(user).filter(site=site).free()),  # type: ignore[attr-defined]
            }
        )
    return {"allowed": True, "today": today, "sites": out}
