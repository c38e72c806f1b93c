"""The resident's phone pages (no login, plain forms, no script needed): apply for a
health code for oneself or for an elderly parent or a child (申领/代领), see the colour
with why and what to do and the day it turns green, and appeal (申诉)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from fangkong.core import listing as lists
from fangkong.core import ratelimit
from fangkong.core.resident import chinese_unless_chosen, masked_name
from fangkong.core.symptoms import symptom_labels
from fangkong.geo import picker
from fangkong.healthcode import tokens
from fangkong.healthcode.actions import SYMPTOMS
from fangkong.healthcode.public import link_not_valid
from fangkong.people.models import Person
from fangkong.selfservice import actions
from fangkong.selfservice.choices import Relation
from fangkong.selfservice.models import Appeal

CITY = "3306"
LIMITED = "public/p/limited.html"  # the public side's 429 page (these pages use its layout)
STAY_ROWS = 3


def _places() -> list[tuple[str, list[tuple[str, str]]]]:
    """Provinces with their prefecture cities, for choosing a place without typing."""
    from fangkong.riskareas.rules import reference

    ref = reference()
    groups: dict[str, list[tuple[str, str]]] = {}
    for code, (level, name) in ref.items():
        if level == "province":
            groups.setdefault(code, [(code, name + "（全省）")])
    for code, (level, name) in ref.items():
        if level == "city" and code[:2] in groups:
            groups[code[:2]].append((code, name))
    return [(ref[p][1], rows) for p, rows in sorted(groups.items())]


def _form_data(post: Any) -> dict[str, Any]:
    stays = [
        {
            "code": post.get(f"stay{i}_code", "")[:12],
            "left_on": post.get(f"stay{i}_left_on", "")[:10],
        }
        for i in range(STAY_ROWS)
    ]
    return {
        "relation": post.get("relation", "self")[:12],
        "applicant_name": post.get("applicant_name", "")[:50],
        "name": post.get("name", "")[:50],
        "id_number": post.get("id_number", "")[:24],
        "phone": post.get("phone", "")[:20],
        "node_code": post.get("node_code", "")[:24],
        "address": post.get("address", "")[:200],
        "stays": stays,
        "symptoms": post.getlist("symptoms")[:10],
        "case_contact": post.get("case_contact") == "yes",
        "case_contact_on": post.get("case_contact_on", "")[:10],
        "consent": bool(post.get("consent")),
    }


@never_cache
def apply(request: HttpRequest) -> HttpResponse:
    chinese_unless_chosen(request)
    town = (request.POST.get("town") or request.GET.get("town") or "")[:24]
    errors: dict[str, list[str]] = {}
    sent = False
    data: dict[str, Any] = {"relation": "self", "stays": [{}] * STAY_ROWS, "symptoms": []}
    if request.method == "POST":
        data = _form_data(request.POST)
        limit = actions.rules_on().applications_per_hour
        if request.POST.get("send"):
            if not ratelimit.hit(request, "selfcode-sms", limit):
                return ratelimit.refused(request, LIMITED)
            from fangkong.core.otp_codes import send as send_code

            try:
                send_code(data["phone"])
                sent = True
            except ValidationError as exc:
                errors = exc.message_dict
        else:
            if not ratelimit.hit(request, "selfcode", limit):
                return ratelimit.refused(request, LIMITED)
            try:
                outcome = actions.apply(data, request.POST.get("code", "")[:12])
                return redirect("selfcode:result", token=tokens.personal_token(outcome.person.pk))
            except ValidationError as exc:
                errors = exc.message_dict
    stays = data["stays"]
    return render(
        request,
        "selfservice/p/apply.html",
        {
            "data": data,
            "stay_rows": list(enumerate(stays)),
            "errors": errors,
            "sent": sent,
            "town": town,
            "towns": picker.town_choices(CITY),
            "villages": picker.village_choices(town),
            "places": _places(),
            "relations": Relation.choices,
            "symptoms": [(s, symptom_labels([s])) for s in SYMPTOMS],
            "rules": actions.rules_on(),
        },
        status=422 if errors else 200,
    )


def _person(token: str) -> Person | None:
    try:
        pid = tokens.read_personal(token)
    except tokens.CodeError:
        return None
    return Person.objects.filter(pk=pid, merged_into__isnull=True).first()


@never_cache
def result(request: HttpRequest, token: str) -> HttpResponse:
    """The colour, why, what to do, the day it turns green; appeals and their decisions."""
    chinese_unless_chosen(request)
    person = _person(token)
    if person is None:
        return link_not_valid(request)
    error = ""
    if request.method == "POST":
        if not ratelimit.hit(request, "selfcode-appeal", actions.rules_on().applications_per_hour):
            return ratelimit.refused(request, LIMITED)
        try:
            actions.file_appeal(person, request.POST.get("reason", "")[:1000])
            return redirect("selfcode:result", token=token)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    colour, reasons, advice, green = actions.explain_person(person)
    from fangkong.healthcode.models import CodeChange

    return render(
        request,
        "selfservice/p/result.html",
        {
            "name": masked_name(person.name),
            "colour": colour,
            "reasons": reasons,
            "advice": advice,
            "green_on": green,
            "proxy": actions.latest_proxy(person.pk),
            "token": token,
            # Every appeal and every change, paged with their totals (were the last 5 and 10).
            "appeals": lists.paginate(
                request, Appeal.objects.filter(person=person).order_by("-pk"), prefix="a"
            ),
            "history": lists.paginate(
                request, CodeChange.objects.filter(person=person).order_by("-at", "-pk"), prefix="h"
            ),
            "error": error,
        },
        status=422 if error else 200,
    )
