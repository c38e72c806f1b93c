"""Scoped reads of the clinical pathway, with named queries for the boards.

Two doors close around each row: the jurisdiction subtree (`restrict`) and, for a
doctor attached to facilities, those facilities only — a clinic sees its own patients,
headquarters its whole subtree."""

import datetime as dt
from typing import Any, Self

from django.db.models import Exists, F, OuterRef, Q

from fangkong.core.querysets import RestrictedQuerySet, is_system


def staff_facility_ids(user: Any) -> list[int] | None:
    """The facilities a medical account works in; None when it is not attached to any
    (or is not medical), meaning the subtree alone decides."""
    if getattr(user, "role", None) != "medical" or is_system(user):
        return None
    from fangkong.clinical.models import Facility

    ids = list(
        Facility.staff.through.objects.filter(user_id=user.pk).values_list("facility_id", flat=True)
    )
    return ids or None


class FacilityScoped(RestrictedQuerySet):
    """`restrict` plus the facility filter; `facility_lookups` name the facility fields.
    `also_paths` place a row in a second subtree too (a Keqiao resident treated in a
    Yuecheng hospital is seen from both counties)."""

    facility_lookups: tuple[str, ...] = ("facility",)
    also_paths: tuple[str, ...] = ()

    def restrict(self, user: Any, action: str = "view") -> Self:
        from fangkong.core.querysets import allows

        if not allows(user, self.model, action):
            return self.none()
        path = None if is_system(user) else getattr(user.node, "path", "")
        if path == "":
            return self.none()
        qs = self
        if path is not None:
            q = Q(**{f"{self.model.scope_path}__startswith": path})  # type: ignore[attr-defined]
            for field in self.also_paths:
                q |= Q(**{f"{field}__startswith": path})
            qs = self.filter(q)
        ids = staff_facility_ids(user)
        if ids is None:
            return qs
        q = Q()
        for lookup in self.facility_lookups:
            q |= Q(**{f"{lookup}__in": ids})
        return qs.filter(q)


class FacilityQuerySet(RestrictedQuerySet):
    """Facilities are seen by the subtree alone: a clinic doctor sees the hospitals
    and beds of the area too (where to send patients)."""

    def clinics(self) -> Self:
        return self.filter(kind="fever_clinic")

    def hospitals(self) -> Self:
        return self.filter(kind="designated_hospital")


class BedQuerySet(RestrictedQuerySet):
    def occupied(self) -> Self:
        from fangkong.clinical.choices import HOLDS_BED
        from fangkong.clinical.models import Transfer

        held = Transfer.objects.filter(
            bed=OuterRef("pk"), status__in=HOLDS_BED, released_at__isnull=True
        )
        return self.filter(Exists(held))

    def free(self) -> Self:
        from fangkong.clinical.choices import HOLDS_BED
        from fangkong.clinical.models import Transfer

        held = Transfer.objects.filter(
            bed=OuterRef("pk"), status__in=HOLDS_BED, released_at__isnull=True
        )
        return self.filter(active=True).exclude(Exists(held))


class VisitQuerySet(FacilityScoped):
    def open(self) -> Self:
        return self.filter(disposition="")


CONFIRMED = Q(confirmed_at__isnull=False, status="confirmed")


class CaseQuerySet(FacilityScoped):
    facility_lookups = ("facility", "visit__facility")
    also_paths = ("home_path",)

    def active(self) -> Self:
        """In care: not excluded, no outcome yet."""
        return self.filter(outcome="").exclude(status="excluded")

    def placed_under(self, path: str) -> Self:
        """Cases whose PLACE is under `path`: where the patient lives (R15/R16 rate the
        place of the infection), not where they are treated; a case with no known home
        counts at the reporting facility's node (and is flagged)."""
        return self.filter(Q(home_path__startswith=path) | Q(home_path="", path__startswith=path))

    def confirmed(self) -> Self:
        """Confirmed cases only: asymptomatic infections are counted (and reported) apart,
        as in the national reporting of 2020, and a diagnosis later excluded no longer
        counts."""
        return self.filter(CONFIRMED)

    def report_overdue(self, now: dt.datetime) -> Self:
        """R9: diagnosed, not reported, past the 2-hour deadline."""
        return self.filter(report_due__lt=now, reported_at__isnull=True)

    def report_running(self, now: dt.datetime) -> Self:
        return self.filter(report_due__gte=now, reported_at__isnull=True)

    def investigation_overdue(self, now: dt.datetime) -> Self:
        return self.filter(investigation_due__lt=now, investigated_at__isnull=True)

    def emergency_overdue(self, now: dt.datetime) -> Self:
        return self.filter(emergency_due__lt=now, emergency_reported_at__isnull=True)

    def awaiting_admission(self) -> Self:
        """Confirmed, in care, not yet arrived at a designated hospital."""
        return self.active().filter(status="confirmed", admitted_at__isnull=True)

    def needing_experts(self) -> Self:
        return self.active().filter(severity__in=["severe", "critical"], expert_team__isnull=True)

    def admitted(self) -> Self:
        return self.filter(admitted_at__isnull=False, confirmed_at__isnull=False).annotate(
            to_admission=F("admitted_at") - F("confirmed_at")
        )


class SampleQuerySet(FacilityScoped):
    facility_lookups = ("case__facility", "case__visit__facility")

    def pending(self) -> Self:
        return self.filter(result="")


class TransferQuerySet(FacilityScoped):
    facility_lookups = ("from_facility", "to_facility")
    also_paths = ("from_path",)

    def open(self) -> Self:
        from fangkong.clinical.choices import OPEN_TRANSFER

        return self.filter(status__in=OPEN_TRANSFER)


class ClusterQuerySet(RestrictedQuerySet):
    def emergency_overdue(self, now: dt.datetime) -> Self:
        return self.filter(emergency_due__lt=now, reported_at__isnull=True)
