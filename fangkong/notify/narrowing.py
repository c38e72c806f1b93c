"""The notices a quarantine site's staff may read (#17): those addressed to them (the
account, or its role at its node), those about no one, and of those about a person only
the notices about their own persons (observation's narrowing of `people.person`: placed
at their sites now or lately, sent to them, registered by them). A notice is about a
person when it goes to one (a reminder with their check-in link, a one-time code to a
number) or concerns a record of one (a door-to-door visit, a case, a difficulty, a
resident's question)."""

from typing import Any

from django.db.models import Q

# subject -> the lookup from the subject's model to its registry person ("" when the
# record names no registered person: only the addressed see it)
PERSON_SUBJECTS = {
    "screening.screeningtask": "subject__person",
    "clinical.case": "person",
    "care.difficulty": "",
    "public.question": "",
}


def _of_persons(label: str, lookup: str, persons: Any) -> Q:
    from django.apps import apps

    model = apps.get_model(label)
    ids = model._default_manager.filter(**{f"{lookup}__in": persons}).values("pk")
    return Q(subject=label, subject_id__in=ids)


def site_notices(user: Any, notices: Any) -> Any:
    from fangkong.notify.models import Notice
    from fangkong.observation.querysets import site_residents
    from fangkong.people.models import Person

    persons = site_residents(user, Person.objects.all()).values("pk")
    about_person = (
        Q(recipient_person__isnull=False)
        | ~Q(recipient_phone_masked="")
        | Q(subject__in=list(PERSON_SUBJECTS))
    )
    theirs = Q(recipient_person__in=persons)
    for label, lookup in PERSON_SUBJECTS.items():
        if lookup:
            theirs |= _of_persons(label, lookup, persons)
    addressed = Notice.objects.for_user(user).values("pk")
    return notices.filter(Q(pk__in=addressed) | ~about_person | theirs)
