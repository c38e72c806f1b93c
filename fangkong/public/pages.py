"""The resident-facing pages (no login), phone-first, in Simplified Chinese.

The bulletin pages read only the PublishedBulletin table and are cached as rendered
bytes; submissions are rate limited per client (429 with a clear message)."""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangkong.core import cached_pages, clock, otp_codes, ratelimit
from fangkong.core import listing as lists
from fangkong.core.access import invalid
from fangkong.geo import picker
from fangkong.geo.models import Division
from fangkong.public import actions, forms, returns
from fangkong.public.models import (
    ApprovalBatch,
    Article,
    Employee,
    PublishedBulletin,
    Question,
    Rumour,
)

CITY = "3306"
BULLETIN_TTL = 60

LIMITED = "public/p/limited.html"  # the 429 page of the public side


def cache_key(page: str) -> str:
    """The resident's bulletin pages are written in Chinese, whatever the browser asks."""
    return f"public:bulletin:{page}:zh-hans"


def _cached(page: str, build: Callable[[], bytes]) -> HttpResponse:
    return cached_pages.page(cache_key(page), build, BULLETIN_TTL)


def _bars(figures: list[dict]) -> list[dict]:
    top = max([int(f["total"]) for f in figures] + [1])
    return [{**f, "pct": round(100 * int(f["total"]) / top)} for f in figures]


def home(request: HttpRequest) -> HttpResponse:
    """Today's bulletin of the city: figures by district, coarse places, advice."""

    def build() -> bytes:
        latest = PublishedBulletin.objects.filter(node_code=CITY).first()
        return render_to_string(
            "public/p/home.html",
            {"b": latest, "bars": _bars(latest.figures) if latest else []},
        ).encode()

    return _cached("home", build)


def history(request: HttpRequest) -> HttpResponse:
    """Every published bulletin, with the series for the chart."""

    def build() -> bytes:
        items = list(
            PublishedBulletin.objects.filter(node_code=CITY)
            .order_by("day")
            .values("day", "title", "figures")
        )
        series = {
            "days": [i["day"].isoformat() for i in items],
            "new": [sum(int(f["new"]) for f in i["figures"]) for i in items],
            "total": [sum(int(f["total"]) for f in i["figures"]) for i in items],
        }
        return render_to_string(
            "public/p/history.html", {"items": list(reversed(items)), "series": series}
        ).encode()

    return _cached("history", build)


def bulletin_day(request: HttpRequest, day: str) -> HttpResponse:
    b = PublishedBulletin.objects.filter(node_code=CITY, day=day).first()
    if b is None:
        raise Http404
    return render(request, "public/p/home.html", {"b": b, "bars": _bars(b.figures)})


def knowledge(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "public/p/knowledge.html",
        {
            "articles": lists.paginate(
                request, Article.objects.filter(published=True), per_page=20, prefix="a"
            ),
            "clarified": lists.paginate(
                request,
                Rumour.objects.filter(status="clarified").order_by("-clarified_at", "-pk"),
                per_page=20,
                prefix="r",
            ),
        },
    )


def ask(request: HttpRequest) -> HttpResponse:
    """Ask a question: with a phone verified by a code, or anonymously (ticket)."""
    form = forms.AskForm(request.POST or None, nodes=picker.area_choices(CITY))
    if request.method == "POST":
        if not ratelimit.hit(request, "ask", actions.rules_on().submissions_per_hour):
            return ratelimit.refused(request, LIMITED)
        if form.is_valid():
            node = Division.objects.get(code=form.cleaned_data["node_code"])
            data = {k: v for k, v in form.cleaned_data.items() if k != "node_code"}
            try:
                q = actions.ask_question(node, **data)
            except ValidationError as exc:
                form.add_action_errors(exc)
            else:
                return render(request, "public/p/asked.html", {"q": q})
    return render(request, "public/p/ask.html", {"form": form})


@require_POST
def send_code(request: HttpRequest) -> HttpResponse:
    if not ratelimit.hit(request, "code", actions.rules_on().submissions_per_hour):
        return ratelimit.refused(request, LIMITED)
    try:
        otp_codes.send(request.POST.get("phone", ""))
        text, status = _("A code was sent to your phone."), 200
    except ValidationError as exc:
        text, status = " ".join(exc.messages), 422
    return HttpResponse(f'<span id="code-status">{text}</span>', status=status)


def ticket(request: HttpRequest) -> HttpResponse:
    """Look up a question by its ticket; rate the answer."""
    number = (request.POST.get("ticket") or request.GET.get("ticket") or "").strip().upper()
    q = Question.objects.filter(ticket=number).first() if number else None
    error = ""
    if request.method == "POST" and q is not None:
        if not ratelimit.hit(request, "rate", actions.rules_on().submissions_per_hour):
            return ratelimit.refused(request, LIMITED)
        try:
            q = actions.rate_answer(number, int(request.POST.get("satisfaction", "0")))
        except (ValidationError, ValueError):
            error = _("rate from 1 to 5")
    return render(request, "public/p/ticket.html", {"q": q, "number": number, "error": error})


def answers(request: HttpRequest) -> HttpResponse:
    term = request.GET.get("q", "")[:50]
    found = lists.paginate(
        request, Question.objects.published_answers(term).select_related("node"), per_page=20
    )
    return render(
        request, "public/p/answers.html", {"found": found, "listing": found, "term": term}
    )


def report_rumour(request: HttpRequest) -> HttpResponse:
    form = forms.RumourForm(request.POST or None)
    done = False
    if request.method == "POST":
        if not ratelimit.hit(request, "rumour", actions.rules_on().submissions_per_hour):
            return ratelimit.refused(request, LIMITED)
        if form.is_valid():
            try:
                actions.report_rumour(None, Division.objects.get(code=CITY), **form.cleaned_data)
                done = True
            except ValidationError as exc:
                form.add_action_errors(exc)
    return render(request, "public/p/rumour.html", {"form": form, "done": done})


def declare(request: HttpRequest, token: str) -> HttpResponse:
    """An employee's health declaration, opened from their link."""
    employee = Employee.objects.select_related("application").filter(token=token).first()
    if employee is None:
        raise Http404
    form = forms.DeclarationForm(request.POST or None)
    if request.method == "POST":
        if not ratelimit.hit(request, "declare", 10 * actions.rules_on().submissions_per_hour):
            return ratelimit.refused(request, LIMITED)
        if form.is_valid():
            try:
                returns.declare_health(token, **form.cleaned_data)
            except ValidationError as exc:
                form.add_action_errors(exc)
            else:
                employee.refresh_from_db()
    return render(request, "public/p/declare.html", {"e": employee, "form": form})


def resumed(request: HttpRequest) -> HttpResponse:
    """The published batches of enterprises approved to resume work."""
    batches = lists.paginate(
        request,
        ApprovalBatch.objects.select_related("node").prefetch_related("applications"),
        per_page=20,
    )
    return render(
        request,
        "public/p/resumed.html",
        {"batches": batches, "listing": batches, "today": clock.today()},
    )


def report_gathering(request: HttpRequest) -> HttpResponse:
    form = forms.GatheringForm(request.POST or None, initial={"source": "reported"})
    done = False
    if request.method == "POST":
        if not ratelimit.hit(request, "gathering", actions.rules_on().submissions_per_hour):
            return ratelimit.refused(request, LIMITED)
        if form.is_valid():
            node = Division.objects.filter(code=form.cleaned_data["node_code"]).first()
            data = {k: v for k, v in form.cleaned_data.items() if k != "node_code"}
            data["source"] = "reported"
            try:
                if node is None:
                    raise invalid("node_code", _("unknown division"))
                returns.report_gathering(None, node, **data)
                done = True
            except ValidationError as exc:
                form.add_action_errors(exc)
    return render(request, "public/p/gathering.html", {"form": form, "done": done})
