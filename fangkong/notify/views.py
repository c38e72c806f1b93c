"""The inbox: the bell (polled by htmx), the list with read / unread and one-tap
actions, and the account's preferences. A notice is only ever its recipient's: another
account's notice is a 404."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangkong.core import listing as lists
from fangkong.core.forms import run_action
from fangkong.core.querysets import is_system
from fangkong.notify import actions, schedule
from fangkong.notify.forms import PreferenceForm, RulesForm
from fangkong.notify.models import Notice, NoticeRules, Preference, ScheduledRun


def _mine(request: HttpRequest) -> Any:
    return Notice.objects.for_user(request.user)


@login_required
def bell(request: HttpRequest) -> HttpResponse:
    unread = _mine(request).unread().count()
    return render(request, "notify/_bell.html", {"unread": unread, "user": request.user})


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    qs = _mine(request).select_related("recipient_node")
    only_unread = request.GET.get("unread") == "1"
    if only_unread:
        qs = qs.unread()
    listing = lists.paginate(request, qs.order_by("-pk"))
    ctx = {
        "notices": listing,
        "listing": listing,
        "only_unread": only_unread,
        "actionable": set(actions.ACTS),
        "unread": _mine(request).unread().count(),
        "is_hq": is_system(request.user) or getattr(request.user, "role", "") in HQ,
    }
    if request.headers.get("HX-Request") and request.GET.get("fragment") == "list":
        return render(request, "notify/inbox.html#list", ctx)
    return render(request, "notify/inbox.html", ctx)


def _row(request: HttpRequest, notice: Notice) -> HttpResponse:
    """The notice's row of the inbox, which htmx swaps in after a tap."""
    return render(request, "notify/inbox.html#row", {"n": notice, "actionable": set(actions.ACTS)})


@login_required
@require_POST
def mark(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(_mine(request), pk=pk)
    read = request.POST.get("read", "1") == "1"
    actions.mark_read(request.user, [notice], read)
    notice.refresh_from_db()
    if request.headers.get("HX-Request"):
        return _row(request, notice)
    return redirect("notify:inbox")


@login_required
@require_POST
def act(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(_mine(request), pk=pk)
    try:
        notice = actions.act(request.user, notice)
    except (ValidationError, PermissionDenied, PermissionError) as exc:
        text = " ".join(getattr(exc, "messages", [str(exc)])) or _("not allowed")
        messages.error(request, text)
        return redirect("notify:inbox")
    if request.headers.get("HX-Request"):
        return _row(request, notice)
    messages.success(request, _("Acknowledged."))
    return redirect("notify:inbox")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    pref = Preference.objects.filter(user=user).first()
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid() and run_action(
            request,
            form,
            lambda: actions.save_preferences(request.user, form.cleaned_data),
            _("Preferences saved."),
        ):
            return redirect("notify:preferences")
    else:
        initial = {}
        if pref is not None:
            initial = {
                "sms": pref.sms,
                "email": pref.email,
                "quiet_start": pref.quiet_start,
                "quiet_end": pref.quiet_end,
            }
        form = PreferenceForm(initial=initial)
    return render(request, "notify/preferences.html", {"form": form, "pref": pref})


HQ = {"city_hq", "county_hq", "town_hq", "sysadmin"}


@login_required
def schedule_page(request: HttpRequest) -> HttpResponse:
    """Headquarters: every job with its next slot and last runs; the notice rules in force,
    and (city headquarters) a new dated rule set."""
    from fangkong.core import clock

    user: Any = request.user
    if not (is_system(user) or user.role in HQ):
        raise PermissionDenied
    may_change = is_system(user) or user.role in ("city_hq", "sysadmin")
    current = NoticeRules.in_force()
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        form = RulesForm(request.POST, current=current)
        if form.is_valid() and run_action(
            request,
            form,
            lambda: actions.add_rules(user, form.cleaned_data, form.rules()),
            _("Notice rules saved."),
        ):
            return redirect("notify:schedule")
    else:
        form = RulesForm(
            current=current,
            initial={
                "effective_from": clock.today(),
                "max_attempts": current.max_attempts,
                "retry_seconds": current.retry_seconds,
            },
        )
    now = clock.now()
    jobs = []
    for j in schedule.check_schedule():
        runs = list(ScheduledRun.objects.filter(job=j.name).order_by("-slot")[:3])
        jobs.append({"job": j, "next": j.next_after(now), "runs": runs})
    return render(
        request,
        "notify/schedule.html",
        {"jobs": jobs, "form": form, "may_change": may_change, "current": current},
    )
