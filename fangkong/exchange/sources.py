"""Where an outgoing request starts: a tracing contact (密接) or a screening subject
(an arrival, a person to screen). The form is prefilled with what is known; the full
ID and phone are not shown but taken from the record when the fields stay empty."""

from dataclasses import dataclass, field
from typing import Any

from django.http import Http404

from fangkong.core import crypto
from fangkong.exchange.choices import Ask, Reason


@dataclass
class Source:
    initial: dict[str, Any] = field(default_factory=dict)
    hidden: dict[str, str] = field(default_factory=dict)  # full ID / phone, never rendered
    person: Any = None
    contact_id: int | None = None
    label: str = ""


def _person_secrets(person: Any) -> dict[str, str]:
    if person is None:
        return {}
    return {"id_number": person.reveal("id_number"), "phone": person.reveal("phone")}


def from_contact(user: Any, pk: int) -> Source:
    from fangkong.tracing.models import Contact

    contact = Contact.objects.restrict(user).select_related("index", "person").filter(pk=pk).first()
    if contact is None:
        raise Http404
    hidden = _person_secrets(contact.person)
    if not hidden.get("phone") and contact.phone_enc:
        hidden["phone"] = crypto.decrypt(bytes(contact.phone_enc), "tracing.contact.phone")
    index = f"{contact.index.label} · " if contact.index else ""
    exposure = (
        f"{index}{contact.get_setting_display()} {contact.first_exposure:%Y-%m-%d}"
        f"–{contact.last_exposure:%Y-%m-%d} {contact.transport_no} {contact.seat}"
    ).strip()
    return Source(
        initial={
            "name": contact.name,
            "address": contact.address,
            "reason": Reason.SECONDARY if contact.source_contact_id else Reason.CLOSE_CONTACT,
            "exposure_date": contact.last_exposure,
            "exposure": exposure[:300],
            "ask": Ask.OBSERVE,
        },
        hidden=hidden,
        person=contact.person,
        contact_id=contact.pk,
        label=str(contact),
    )


def from_subject(user: Any, pk: int) -> Source:
    from fangkong.screening.models import ScreeningSubject

    subject = ScreeningSubject.objects.restrict(user).select_related("person").filter(pk=pk).first()
    if subject is None:
        raise Http404
    arrival = subject.arrival_at.date() if subject.arrival_at else None
    exposure = " ".join(x for x in (subject.origin, subject.transport, subject.transport_no) if x)
    return Source(
        initial={
            "name": subject.name,
            "address": subject.address,
            "reason": Reason.ARRIVAL if subject.key_area else Reason.SCREENING,
            "exposure_date": arrival,
            "exposure": exposure[:300],
            "ask": Ask.SCREEN,
        },
        hidden=_person_secrets(subject.person),
        person=subject.person,
        label=str(subject),
    )


def from_person(user: Any, pk: int) -> Source:
    from fangkong.people.models import Person

    person = Person.objects.restrict(user).filter(pk=pk).first()
    if person is None:
        raise Http404
    return Source(
        initial={"name": person.name, "address": person.address, "ask": Ask.SCREEN},
        hidden=_person_secrets(person),
        person=person,
        label=str(person),
    )


def source_for(user: Any, params: Any) -> Source:
    for key, fn in (("contact", from_contact), ("subject", from_subject), ("person", from_person)):
        value = params.get(key)
        if value:
            if not str(value).isdigit():
                raise Http404
            return fn(user, int(value))
    return Source()
