"""What is sent: one function per rule of `NoticeRules` (who is fixed by the kind; when
and which channels are the dated rule). The scheduled jobs (`jobs.py`) and the hooks
(`signals.py`) call them; each builds `Spec`s with a key per event, so running one again
(a retried task, a caught-up slot) sends nothing twice."""

import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fangkong.core.querysets import system_actor
from fangkong.notify.actions import Spec, notify_many, rules


def _local(t: dt.datetime) -> str:
    return timezone.localtime(t).strftime("%m-%d %H:%M")


def _zh():  # type: ignore[no-untyped-def]
    """Notices are written in Chinese (SMS and the inbox of Chinese officials)."""
    return translation.override("zh-hans")


# ---------------------------------------------------------------- directives (C8)


def directive_issued(directive_id: int) -> int:
    """Every node a directive addresses: one notice per node (to its accounts there),
    acknowledge with one tap."""
    from fangkong.command.models import Directive, DirectiveReceipt

    d = Directive.objects.filter(pk=directive_id).first()
    if d is None:
        return 0
    link = reverse("command:directive", args=[d.pk])
    with _zh():
        title = _("Directive: %(title)s (due %(deadline)s)") % {
            "title": d.title,
            "deadline": _local(d.deadline),
        }
    specs = [
        Spec(
            kind="directive",
            key=f"directive:{d.pk}:{r.pk}",
            title=title,
            body=d.text[:500],
            link=link,
            node_id=r.node_id,
            path=r.path,
            deadline=d.deadline,
            subject="command.directivereceipt",
            subject_id=r.pk,
            params={"title": d.title[:20], "deadline": _local(d.deadline)},
        )
        for r in DirectiveReceipt.objects.filter(directive=d).only("pk", "node_id", "path")
    ]
    return len(notify_many(specs))


def directive_reminders(now: dt.datetime) -> int:
    """The silent ones: before the deadline a reminder to the node; once the deadline
    has passed, a notice to its parent node (the receipt records the escalation)."""
    from fangkong.command.models import DirectiveReceipt
    from fangkong.geo.models import Division

    r = rules()
    before = dt.timedelta(minutes=r.rule("directive_reminder").get("minutes", 120))
    after = dt.timedelta(minutes=r.rule("directive_escalated").get("after", 0))
    silent = DirectiveReceipt.objects.filter(
        acknowledged_at__isnull=True, directive__ack_required=True
    ).select_related("directive")
    specs = []
    with _zh():
        for rc in silent.filter(
            directive__deadline__gt=now, directive__deadline__lte=now + before
        ).iterator(chunk_size=2000):
            d = rc.directive
            specs.append(
                Spec(
                    kind="directive_reminder",
                    key=f"directive-reminder:{rc.pk}",
                    title=_("Not yet acknowledged: %(title)s (due %(deadline)s)")
                    % {"title": d.title, "deadline": _local(d.deadline)},
                    link=reverse("command:directive", args=[d.pk]),
                    node_id=rc.node_id,
                    path=rc.path,
                    deadline=d.deadline,
                    subject="command.directivereceipt",
                    subject_id=rc.pk,
                )
            )
        late = silent.filter(directive__deadline__lte=now - after)
        parents = dict(
            Division.objects.filter(pk__in=late.values("node__parent_id")).values_list("pk", "path")
        )
        for rc in late.select_related("node").iterator(chunk_size=2000):
            d, parent = rc.directive, rc.node.parent_id
            if parent is None:
                continue
            specs.append(
                Spec(
                    kind="directive_escalated",
                    key=f"directive-escalated:{rc.pk}",
                    title=_("%(node)s has not acknowledged: %(title)s")
                    % {"node": rc.node.name, "title": d.title},
                    link=reverse("command:directive", args=[d.pk]),
                    node_id=parent,
                    path=parents.get(parent, ""),
                    deadline=d.deadline,
                )
            )
    return len(notify_many(specs))


# ---------------------------------------------------------------- observation (C4)


def checkin_reminders(day: dt.date, window: str) -> int:
    """Persons under observation without a reading in the window: a reminder before it
    closes, with their personal check-in link (SMS to the number on file)."""
    from fangkong.observation.links import make_token
    from fangkong.observation.models import CheckIn, ObservationPeriod

    done = CheckIn.objects.filter(local_date=day, window=window).values("period_id")
    periods = (
        ObservationPeriod.objects.filter(status="active", start_date__lte=day, planned_end__gte=day)
        .exclude(pk__in=done)
        .select_related("person")
        .only(
            "pk",
            "path",
            "link_version",
            "planned_end",
            "person__id",
            "person__path",
            "person__phone_enc",
        )
    )
    specs = []
    with _zh():
        window_name = _("morning") if window == "morning" else _("evening")
        title = _("Please report your %(window)s temperature before the window closes") % {
            "window": window_name
        }
        for p in periods.iterator(chunk_size=2000):
            link = reverse("observation:self_checkin", args=[make_token(p)])
            specs.append(
                Spec(
                    kind="checkin_reminder",
                    key=f"checkin:{p.pk}:{day}:{window}",
                    title=title,
                    link=link,
                    person=p.person,
                    path=p.path,
                    template="checkin_reminder",
                    params={"window": window_name, "link": link},
                )
            )
    return len(notify_many(specs))


def missed_checkins_digest(day: dt.date, window: str) -> int:
    """After a sweep: each responsible grid worker or site staff gets one message with
    the count of missed check-ins of their persons, not one per person."""
    from fangkong.accounts.models import User
    from fangkong.observation.models import AlertTask

    counts = dict(
        AlertTask.objects.filter(
            local_date=day, window=window, status="open", assigned_to__isnull=False
        )
        .values("assigned_to")
        .annotate(n=Count("pk"))
        .values_list("assigned_to", "n")
    )
    users = User.objects.filter(pk__in=counts).select_related("node")
    specs = []
    with _zh():
        for u in users:
            specs.append(
                Spec(
                    kind="missed_checkins",
                    key=f"missed:{u.pk}:{day}:{window}",
                    title=ngettext(
                        "%(n)d person missed the check-in",
                        "%(n)d persons missed the check-in",
                        counts[u.pk],
                    )
                    % {"n": counts[u.pk]},
                    link=reverse("observation:tasks"),
                    user=u,
                    params={"n": counts[u.pk]},
                )
            )
    return len(notify_many(specs))


# ---------------------------------------------------------------- screening visits (C3)


def visits_today(day: dt.date) -> int:
    """Grid workers and village staff: one digest of today's open door-to-door visits
    per node (grid → its grid workers; village → its staff)."""
    from fangkong.screening.models import ScreeningTask

    tz = timezone.get_default_timezone()
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
    rows = (
        ScreeningTask.objects.filter(status="open", due_at__lt=end)
        .values("node_id", "node__path", "node__level")
        .annotate(n=Count("pk"))
    )
    specs = []
    with _zh():
        for row in rows:
            role = "grid_worker" if row["node__level"] == "grid" else "village_staff"
            specs.append(
                Spec(
                    kind="visits_today",
                    key=f"visits:{row['node_id']}:{day}",
                    title=ngettext(
                        "%(n)d door-to-door visit due today",
                        "%(n)d door-to-door visits due today",
                        row["n"],
                    )
                    % {"n": row["n"]},
                    link=reverse("screening:today"),
                    node_id=row["node_id"],
                    role=role,
                    path=row["node__path"],
                    params={"n": row["n"]},
                )
            )
    return len(notify_many(specs))


def visit_breach(now: dt.datetime) -> int:
    """A visit whose clock (R14, the due time) breaches within the rule's minutes:
    the node's grid worker (or village staff) is told once per task."""
    from fangkong.screening.models import ScreeningTask

    soon = now + dt.timedelta(minutes=rules().rule("visit_breach").get("minutes", 120))
    tasks = ScreeningTask.objects.filter(
        status="open", due_at__gt=now, due_at__lte=soon
    ).select_related("subject", "node")
    specs = []
    with _zh():
        for t in tasks.iterator(chunk_size=2000):
            specs.append(
                Spec(
                    kind="visit_breach",
                    key=f"visit-breach:{t.pk}",
                    title=_("Visit %(name)s before %(due)s")
                    % {"name": t.subject.name, "due": _local(t.due_at)},
                    link=reverse("screening:today"),
                    node_id=t.node_id,
                    role="grid_worker" if t.node.level == "grid" else "village_staff",
                    path=t.path,
                    deadline=t.due_at,
                    subject="screening.screeningtask",
                    subject_id=t.pk,
                )
            )
    return len(notify_many(specs))


# ---------------------------------------------------------------- clinical clocks (C5)

CLOCKS = (
    ("report", "report_due", "reported_at"),
    ("investigation", "investigation_due", "investigated_at"),
)


def _case_spec(
    kind: str, key: str, title: str, case: Any, user: Any, deadline: Any, **more: Any
) -> Spec:
    """A report-clock notice on a case."""
    link = reverse("clinical:case", args=[case.pk])
    return Spec(kind=kind, key=key, title=title, link=link, user=user, deadline=deadline, **more)


def _on_clock(case: Any, due: str, label: str) -> tuple[Any, dt.datetime, dict[str, Any]]:
    """A case's responsible doctor (none for a case that came from no visit), the
    deadline of its clock in the `due` column and what the clock's titles name."""
    doctor = case.visit.responsible_doctor if case.visit is not None else None
    deadline = getattr(case, due)
    return doctor, deadline, {"what": label, "case": case.number, "due": _local(deadline)}


def report_clocks(now: dt.datetime) -> int:
    """Doctors: a running report clock (2 h report, 24 h investigation) the rule's
    minutes before it breaches; once breached, their head of department (their
    preference), else the medical accounts at the facility's node."""
    from fangkong.accounts.models import User
    from fangkong.clinical.models import Case
    from fangkong.notify.models import Preference

    warn = dt.timedelta(minutes=rules().rule("report_clock").get("minutes", 30))
    specs = []
    with _zh():
        for name, due, done in CLOCKS:
            label = _("case report") if name == "report" else _("case investigation")
            open_ = Case.objects.filter(**{f"{done}__isnull": True, f"{due}__isnull": False})
            for case in open_.filter(
                **{f"{due}__gt": now, f"{due}__lte": now + warn}
            ).select_related("visit__responsible_doctor__node", "facility"):
                doctor, deadline, named = _on_clock(case, due, label)
                title = _("%(what)s for %(case)s is due at %(due)s") % named
                if doctor is not None:
                    specs.append(
                        _case_spec(
                            "report_clock",
                            f"clock:{name}:{case.pk}:doctor",
                            title,
                            case,
                            doctor,
                            deadline,
                            subject="clinical.case",
                            subject_id=case.pk,
                        )
                    )
            for case in open_.filter(**{f"{due}__lte": now}).select_related(
                "visit__responsible_doctor", "facility__node"
            ):
                doctor, deadline, named = _on_clock(case, due, label)
                title = _("Breached: %(what)s for %(case)s was due at %(due)s") % named
                pref = Preference.objects.filter(user=doctor).first() if doctor else None
                heads: list[Any] = [pref.head] if pref is not None and pref.head is not None else []
                if not heads:
                    heads = list(
                        User.objects.filter(
                            role="medical", node_id=case.facility.node_id, is_active=True
                        ).exclude(pk=getattr(doctor, "pk", None))
                    )
                for head in heads:
                    key = f"clock:{name}:{case.pk}:head:{head.pk}"
                    specs.append(
                        _case_spec("report_clock_breached", key, title, case, head, deadline)
                    )
    return len(notify_many(specs))


# ---------------------------------------------------------------- owners' deadlines


def _before_and_at(kind: str, key: str, deadline: dt.datetime, now: dt.datetime) -> str | None:
    """Which notice is due now: "before" in the rule's lead time, "at" once passed."""
    lead = dt.timedelta(minutes=rules().rule(kind).get("minutes", 60))
    if deadline <= now:
        return f"{key}:at"
    if deadline <= now + lead:
        return f"{key}:before"
    return None


def _owned_spec(
    kind: str,
    owned: tuple[str, Any, str, str],
    deadline: dt.datetime,
    now: dt.datetime,
    titles: tuple[str, str],
    page: str,
) -> list[Spec]:
    """The notice due now on a record with an owner (`owned`: its key prefix, the record,
    the field of the owning account and, told when there is none, of the owning node):
    `titles` are the overdue one and the one before the deadline, `page` the record's
    URL name; none when no notice is due."""
    prefix, record, owner, node = owned
    key = _before_and_at(kind, f"{prefix}:{record.pk}", deadline, now)
    if key is None:
        return []
    overdue, before = titles
    return [
        Spec(
            kind=kind,
            key=key,
            title=overdue if key.endswith(":at") else before,
            link=reverse(page, args=[record.pk]),
            user=getattr(record, owner),
            node=None if getattr(record, f"{owner}_id") else getattr(record, node),
            path=record.path,
            deadline=deadline,
            subject=record._meta.label_lower,
            subject_id=record.pk,
        )
    ]


def owner_deadlines(now: dt.datetime) -> int:
    """Rectification, question and care owners before and at their deadlines; report
    upward templates before their time of day to the levels that have not submitted."""
    from fangkong.care.models import Difficulty
    from fangkong.public.models import Question
    from fangkong.supervision.models import Rectification

    tz = timezone.get_default_timezone()
    specs = []
    with _zh():
        for rect in Rectification.objects.filter(status="open").select_related("owner_node"):
            deadline = dt.datetime.combine(
                rect.deadline + dt.timedelta(days=1), dt.time(0), tzinfo=tz
            )
            due = {"day": rect.deadline, "what": rect.requirement[:60]}
            titles = (
                _("Rectification overdue (due %(day)s): %(what)s") % due,
                _("Rectification due %(day)s: %(what)s") % due,
            )
            owned = ("rect", rect, "owner_user", "owner_node")
            specs += _owned_spec("rectification", owned, deadline, now, titles, "supervision:task")
        for q in Question.objects.open().select_related("node", "escalated_to"):
            # each level that answers for the question has its own notices: an escalated
            # question is a new time limit for a new node, told at once
            node = q.escalated_to or q.node
            base = f"question:{q.pk}:{node.pk}"
            key = _before_and_at("question", base, q.due_at, now)
            if key is None and q.escalated_to_id is not None:
                key = f"{base}:escalated"
            if key:
                if key.endswith(":escalated"):
                    title = _("Question %(ticket)s escalated to you: answer by %(due)s")
                elif key.endswith(":at"):
                    title = _("Question %(ticket)s overdue: it was to be answered by %(due)s")
                else:
                    title = _("Question %(ticket)s to answer by %(due)s")
                specs.append(
                    Spec(
                        kind="question",
                        key=key,
                        title=title % {"ticket": q.ticket, "due": _local(q.due_at)},
                        link=reverse("public:question", args=[q.pk]),
                        node=node,
                        path=node.path,
                        deadline=q.due_at,
                    )
                )
        for d in Difficulty.objects.unsolved().select_related("node", "owner"):
            due = {"due": _local(d.deadline)}
            titles = (
                _("Difficulty overdue: it was to be solved by %(due)s") % due,
                _("Difficulty to solve by %(due)s") % due,
            )
            owned = ("care", d, "owner", "node")
            specs += _owned_spec("care", owned, d.deadline, now, titles, "care:difficulty")
    return len(notify_many(specs))


HQ_LEVELS = {"city": "city_hq", "county": "county_hq"}


def supply_alerts(day: dt.date) -> int:
    """Headquarters of the city and of each county: items under the days-of-supply
    threshold in their own jurisdiction, and today's price alerts there — one digest
    each per node and day. A county runs short even when the city's total does not
    (another county's full store does not feed its hospitals), so each level is judged
    on its own stock and demand."""
    from fangkong.geo.models import Division
    from fangkong.supplies import supply_days
    from fangkong.supplies.models import PriceReport

    system = system_actor()
    specs = []
    nodes = Division.objects.filter(level__in=list(HQ_LEVELS)).order_by("path")
    with _zh():
        for node in nodes:
            role = HQ_LEVELS[node.level]
            # the catalogue name: an item's standard ("YY 0469") is not for an SMS
            short = [
                r.item.name for r in supply_days.for_jurisdiction(system, node, day) if r.alert
            ]
            if short:
                items = "、".join(short[:5])
                title = _("Below the days-of-supply threshold: %(items)s") % {"items": items}
                specs.append(
                    _hq_spec("supply_low", node, role, day, title, "supplies:days", items=items)
                )
            alerts = PriceReport.objects.under(node.path).filter(day=day, alert=True).count()
            if alerts:
                title = _("%(n)d price alerts today") % {"n": alerts}
                specs.append(
                    _hq_spec("price_alert", node, role, day, title, "supplies:prices", n=alerts)
                )
    return len(notify_many(specs))


def _hq_spec(
    kind: str, node: Any, role: str, day: dt.date, title: str, url_name: str, **params: Any
) -> Spec:
    """A day's notice to a headquarters: one a node, kind and day (`supply-low:<node>:<day>`)."""
    return Spec(
        kind=kind,
        key=f"{kind.replace('_', '-')}:{node.pk}:{day}",
        title=title,
        link=reverse(url_name),
        node=node,
        role=role,
        path=node.path,
        params=params,
    )


def per_kind_counts(path: str, since: dt.datetime) -> dict[str, Any]:
    """For the briefing's overdue section: notices sent and left unanswered."""
    from fangkong.notify.models import Notice

    qs = Notice.objects.under(path).filter(created_at__gte=since)
    agg = qs.aggregate(
        sent=Count("pk"),
        unanswered=Count("pk", filter=Q(read_at__isnull=True)),
    )
    return {"sent": agg["sent"], "unanswered": agg["unanswered"]}


def report_upward(now: dt.datetime) -> int:
    """Reports upward: before a period's deadline (the rule's minutes) and once it has
    passed, each expected node that has not submitted is told."""
    from fangkong.command import rules as command_rules
    from fangkong.command.models import ReportTemplate, Submission
    from fangkong.geo.models import Division

    tz = timezone.get_default_timezone()
    day = timezone.localtime(now).date()
    specs = []
    with _zh():
        for t in ReportTemplate.objects.select_related("node"):
            if not command_rules.is_period(t.schedule, t.starts_on, t.ends_on, day):
                continue
            deadline = command_rules.deadline_of(day, t.deadline_time, tz)
            lock = command_rules.lock_of(day, t.deadline_time, t.lock_after_hours, tz)
            if now >= lock:
                continue
            phase = _before_and_at("report_upward", "", deadline, now)
            if phase is None:
                continue
            done = Submission.objects.filter(template=t, period=day).values("node_id")
            expected = (
                Division.objects.under(t.node.path).filter(level=t.level).exclude(pk__in=done)
            )
            for node in expected.only("pk", "path"):
                specs.append(
                    Spec(
                        kind="report_upward",
                        key=f"report:{t.pk}:{day}:{node.pk}{phase}",
                        title=(
                            _("Report %(name)s overdue: it was due at %(due)s")
                            if phase == ":at"
                            else _("Report %(name)s due at %(due)s")
                        )
                        % {"name": t.name, "due": _local(deadline)},
                        link=reverse("command:report", args=[t.pk]),
                        node_id=node.pk,
                        path=node.path,
                        deadline=deadline,
                    )
                )
    return len(notify_many(specs))
