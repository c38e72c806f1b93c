"""Connections to the other apps: clinical exposures and confirmed companions become
contacts through our actions; home cards and the jurisdiction-browser column."""

import datetime as dt
import logging
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fangkong.core import clock
from fangkong.core.querysets import system_actor
from fangkong.tracing.choices import Setting

log = logging.getLogger(__name__)

SETTING_WORDS = {
    "household": ("household", "家", "户", "family"),
    "workplace": ("work", "office", "单位", "公司", "工作"),
    "school": ("school", "学校", "班"),
    "transport": ("train", "flight", "coach", "bus", "车", "航班"),
    "medical": ("hospital", "clinic", "医院", "诊所", "ward"),
    "social": ("dinner", "party", "聚餐", "聚会", "wedding", "婚"),
}


def setting_of(text: str) -> str:
    low = (text or "").lower()
    for setting, words in SETTING_WORDS.items():
        if any(w in low for w in words):
            return setting
    return Setting.OTHER


def consume_clinical_exposures(investigation: Any, exposures: list[Any]) -> None:
    """Clinical hands over the exposures of a completed case investigation."""
    from fangkong.tracing import actions

    user = getattr(investigation, "completed_by", None) or system_actor()
    if not user.may("tracing.contact", "add"):
        user = system_actor()
    index = actions.index_for_clinical_case(user, investigation.case)
    for exp in exposures:
        if actions.Contact.objects.filter(clinical_exposure_id=exp.pk).exists():
            continue
        try:
            with transaction.atomic():
                actions.add_contact(
                    user,
                    index,
                    {
                        "name": exp.name,
                        "person": exp.person,
                        "setting": setting_of(f"{exp.relation} {exp.setting}"),
                        "first_exposure": exp.last_contact,
                        "last_exposure": exp.last_contact,
                        "clinical_exposure_id": exp.pk,
                        "node": exp.person.node if exp.person else None,
                    },
                )
        except ValidationError as exc:
            # Not taken over (e.g. after the isolation): it stays listed, unconsumed, on
            # the investigation page for the investigator to correct.
            log.info("exposure %s not taken over: %s", exp.pk, "; ".join(exc.messages))
            continue
        exp.consumed_at = clock.now()
        exp.save(update_fields=["consumed_at"])


def contact_from_companion(sender: Any, candidate: Any, user: Any, **kwargs: Any) -> None:
    """A confirmed space-time companion becomes a contact of the case's person."""
    from fangkong.tracing import actions
    from fangkong.tracing.models import Contact, IndexCase

    if Contact.objects.filter(companion_candidate_id=candidate.pk).exists():
        return
    case_person = candidate.case.person
    if case_person is None or candidate.person is None:
        return
    index = IndexCase.objects.filter(person=case_person).first()
    first = timezone.localdate(candidate.first_at)
    if index is None:
        index = actions.open_index_case(
            user if user.may("tracing.indexcase", "add") else system_actor(),
            case_person,
            {"specimen_date": first, "label": case_person.name},
        )
    actions.add_contact(
        user if user.may("tracing.contact", "add") else system_actor(),
        index,
        {
            "person": candidate.person,
            "setting": Setting.OTHER,
            "first_exposure": first,
            "last_exposure": max(first, timezone.localdate(candidate.last_at)),
            "proximity_m": "1.0",
            "companion_candidate_id": candidate.pk,
        },
    )


def register_hooks() -> None:
    from fangkong.core import home
    from fangkong.geo import counters
    from fangkong.tracing.models import Chain, Contact, Venue

    if apps.is_installed("fangkong.clinical"):
        from fangkong.clinical.hooks import register_exposure_consumer

        register_exposure_consumer(consume_clinical_exposures)
        from fangkong.core import facts
        from fangkong.tracing.actions import on_case_fact

        facts.register("tracing", on_case_fact, facts=[facts.CASE], mode=facts.INLINE)
    if apps.is_installed("fangkong.companions"):
        from fangkong.companions.hooks import exposure_confirmed

        exposure_confirmed.connect(contact_from_companion, dispatch_uid="tracing.companion")

    def close_contacts(user):  # type: ignore[no-untyped-def]
        since = clock.today() - dt.timedelta(days=14)
        return Contact.objects.restrict(user, "view").close().filter(last_exposure__gte=since)

    counters.register_rows("tracing", _("Close contacts (14 days)"), close_contacts)
    home.register(
        home.Card(
            _("Contact tracing"),
            "tracing:dashboard",
            "tracing.contact",
            "view",
            _("Index cases, close contacts, chains and clusters"),
            lambda user: Contact.objects.restrict(user, "view").to_confirm().count(),
        )
    )
    home.register(
        home.Card(
            _("Active transmission chains"),
            "tracing:chains",
            "tracing.chain",
            "view",
            _("Who infected whom, per cluster"),
            lambda user: Chain.objects.restrict(user, "view").counts()["active"],
        )
    )
    home.register(
        home.Card(
            _("Venues and gates"),
            "tracing:venues",
            "tracing.venue",
            "view",
            _("QR codes, scans, gate entry and exit"),
            lambda user: Venue.objects.restrict(user, "view").count(),
        )
    )
