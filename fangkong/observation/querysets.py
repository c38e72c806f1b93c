"""Named, scoped reads (Sara Alert style line lists: `reporting_today`, `not_reporting`…)."""

import datetime as dt
from typing import Any

from django.db.models import Exists, F, Func, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from fangkong.core import clock
from fangkong.core.querysets import RestrictedQuerySet


def _count(qs, field: str = "pk"):  # type: ignore[no-untyped-def]
    """A correlated COUNT(*) subquery over `qs` (already filtered by OuterRef)."""
    return Coalesce(
        Subquery(
            qs.order_by().values(field).annotate(n=Func(F("pk"), function="COUNT")).values("n")[:1]
        ),
        0,
    )


# Persons released from a site (or moved out) stay with its staff this long: the release
# certificate, the follow-up call, a late test result.
RECENT_DAYS = 14


def sites_of(user: Any) -> Any:
    """The quarantine sites the account works at: as one of its staff, or its doctor."""
    from fangkong.observation.models import QuarantineSite

    return QuarantineSite.objects.filter(Q(staff=user) | Q(doctor=user)).values("pk")


def placed_at_sites_of(user: Any) -> Any:
    """The site placements of the account's sites still open, or ended in the last
    `RECENT_DAYS` days."""
    from fangkong.observation.models import Placement

    since = clock.now() - dt.timedelta(days=RECENT_DAYS)
    return Placement.objects.filter(kind="site", site__in=sites_of(user)).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gte=since)
    )


def sent_to_sites_of(user: Any) -> Any:
    """The open periods the county or town sent to the account's sites, awaiting a room
    there (待入住): the site receives the person and assigns the room."""
    from fangkong.observation.models import ObservationPeriod

    return ObservationPeriod.objects.filter(OPEN, sent_to__in=sites_of(user))


def site_residents(user: Any, persons: Any) -> Any:
    """A quarantine-site worker's persons (#17): those placed at their sites now or
    recently, those sent to their sites and awaiting a room, and those the worker
    registered in that time (an arrival, before its observation starts in a room of the
    site); not the registry of the county the account is bound to (the role's narrowing
    of `people.person`, core.querysets.register_narrowing)."""
    since = clock.now() - dt.timedelta(days=RECENT_DAYS)
    return persons.filter(
        Q(pk__in=placed_at_sites_of(user).values("period__person_id"))
        | Q(pk__in=sent_to_sites_of(user).values("person_id"))
        | Q(created_by=getattr(user, "pk", None), created_at__gte=since)
    )


def site_periods(user: Any, periods: Any) -> Any:
    """A quarantine-site worker's observation periods: those spent, now or recently, at
    their sites, and those sent to their sites awaiting a room (not those of persons
    observed at home, which are the grid's work)."""
    return periods.filter(
        Q(pk__in=placed_at_sites_of(user).values("period_id"))
        | Q(pk__in=sent_to_sites_of(user).values("pk"))
    )


def site_period_rows(user: Any, rows: Any) -> Any:
    """The check-ins, tasks, referrals and placements of a site worker's periods."""
    return rows.filter(
        Q(period__in=placed_at_sites_of(user).values("period_id"))
        | Q(period__in=sent_to_sites_of(user).values("pk"))
    )


def site_person_rows(user: Any, rows: Any) -> Any:
    """The rows about a site worker's persons (their health codes and the codes' facts)."""
    from fangkong.people.models import Person

    return rows.filter(person__in=site_residents(user, Person.objects.all()).values("pk"))


def own_sites(user: Any, sites: Any) -> Any:
    """A quarantine-site worker's sites: those they staff or are the doctor of (not the
    other sites of the county, which they may neither see nor change)."""
    return sites.filter(pk__in=sites_of(user))


def own_rooms(user: Any, rooms: Any) -> Any:
    """The rooms of a quarantine-site worker's sites (where they may place a person)."""
    return rooms.filter(site__in=sites_of(user))


def site_households(user: Any, households: Any) -> Any:
    """The households of a quarantine-site worker's persons."""
    return households.filter(
        Q(members__in=placed_at_sites_of(user).values("period__person_id"))
        | Q(members__in=sent_to_sites_of(user).values("person_id"))
    ).distinct()


class SiteQuerySet(RestrictedQuerySet):
    def in_use(self) -> "SiteQuerySet":
        """The sites in use, by name: those a person can be placed in or sent to."""
        return self.filter(active=True).order_by("name", "pk")

    def with_occupancy(self) -> "SiteQuerySet":
        """Beds, persons placed, rooms with a free bed, per site (one query)."""
        from fangkong.observation.models import Placement, Room

        open_in_room = Placement.objects.filter(room=OuterRef("pk"), ended_at__isnull=True)
        rooms = Room.objects.filter(site=OuterRef("pk"))
        free_rooms = rooms.annotate(used=_count(open_in_room, "room")).filter(
            used__lt=F("capacity")
        )
        return self.annotate(
            capacity=Coalesce(
                Subquery(
                    rooms.order_by().values("site").annotate(s=Sum("capacity")).values("s")[:1]
                ),
                0,
            ),
            room_count=_count(rooms, "site"),
            occupied=_count(
                Placement.objects.filter(site=OuterRef("pk"), ended_at__isnull=True, kind="site"),
                "site",
            ),
            free_rooms=_count(free_rooms, "site"),
        )


class RoomQuerySet(RestrictedQuerySet):
    def with_use(self) -> "RoomQuerySet":
        """Each room with `used` (persons placed now) and `free` (beds left)."""
        from fangkong.observation.models import Placement

        used = _count(Placement.objects.filter(room=OuterRef("pk"), ended_at__isnull=True), "room")
        return self.annotate(used=used).annotate(free=F("capacity") - F("used"))

    def free(self) -> "RoomQuerySet":
        """Rooms with a free bed (the only ones a person can be given), by number."""
        return self.with_use().filter(used__lt=F("capacity")).order_by("number", "pk")


# An open period: under observation or referred to a fever clinic (also a count's filter).
OPEN = Q(status__in=["active", "referred"])


class PeriodQuerySet(RestrictedQuerySet):
    def open(self) -> "PeriodQuerySet":
        return self.filter(OPEN)

    def active(self) -> "PeriodQuerySet":
        return self.filter(status="active")

    def reporting_on(self, day: dt.date) -> "PeriodQuerySet":
        """Open periods with at least one check-in on `day`."""
        from fangkong.observation.models import CheckIn

        return self.open().filter(
            Exists(CheckIn.objects.filter(period=OuterRef("pk"), local_date=day))
        )

    def not_reporting_on(self, day: dt.date) -> "PeriodQuerySet":
        """Active periods (started before `day`) with no check-in on `day` yet."""
        from fangkong.observation.models import CheckIn

        return (
            self.active()
            .filter(start_date__lte=day)
            .exclude(Exists(CheckIn.objects.filter(period=OuterRef("pk"), local_date=day)))
        )

    def symptomatic(self) -> "PeriodQuerySet":
        return self.open().filter(Q(symptomatic=True) | Q(status="referred"))

    def ending_on(self, day: dt.date) -> "PeriodQuerySet":
        return self.open().filter(planned_end=day)

    def at_site(self, site_id: int) -> "PeriodQuerySet":
        return self.filter(site_id=site_id, place_kind="site")

    def awaiting_room(self, site_id: int) -> "PeriodQuerySet":
        """Open periods sent to the site and not yet given a room there (待入住)."""
        return self.open().filter(sent_to_id=site_id)

    def arrived_on(self, day: dt.date, site_id: int | None = None) -> "PeriodQuerySet":
        """Periods whose stay at a site (this one, when given) began on `day`: a site
        placement started that day that no placement at the same site ended as it began
        (a move from one room to another of the site is no arrival)."""
        from fangkong.observation.models import Placement

        moved_within = Placement.objects.filter(
            period=OuterRef("period"),
            site=OuterRef("site"),
            kind="site",
            ended_at=OuterRef("started_at"),
        )
        arrivals = Placement.objects.filter(
            period=OuterRef("pk"), kind="site", started_at__date=day
        ).exclude(Exists(moved_within))
        if site_id is not None:
            arrivals = arrivals.filter(site_id=site_id)
        return self.filter(Exists(arrivals))

    def due_to_leave(self, day: dt.date) -> "PeriodQuerySet":
        """Open periods whose planned end is `day` or past: due to leave."""
        return self.open().filter(planned_end__lte=day)

    def fever_on(self, day: dt.date) -> "PeriodQuerySet":
        """Periods with a fever reading on `day`."""
        from fangkong.observation.models import CheckIn

        return self.filter(
            Exists(CheckIn.objects.filter(period=OuterRef("pk"), local_date=day, febrile=True))
        )

    def in_grid(self, path: str) -> "PeriodQuerySet":
        return self.filter(grid__path__startswith=path)


class CheckInQuerySet(RestrictedQuerySet):
    def on(self, day: dt.date) -> "CheckInQuerySet":
        return self.filter(local_date=day)
