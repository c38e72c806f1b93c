"""Every write of bulletins, knowledge, rumours and public questions: one function per
verb, validated, in one transaction, audited (django-auditlog, attributed to the
acting account). Returns and gatherings live in returns.py."""

import datetime as dt
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _

from fangkong.core import clock, crypto, otp_codes
from fangkong.core.access import actor, invalid, require, written
from fangkong.geo.models import Division
from fangkong.people import rules as people_rules
from fangkong.public import drafting, rules
from fangkong.public.choices import Department
from fangkong.public.models import (
    Article,
    Bulletin,
    PublicRules,
    PublishedBulletin,
    Question,
    Rumour,
)

CODE_TTL = otp_codes.TTL
CODE_ATTEMPTS = otp_codes.ATTEMPTS
PUBLIC_CACHE_KEYS = ("public:bulletin:home:zh-hans", "public:bulletin:history:zh-hans")


def rules_on(day: dt.date | None = None) -> PublicRules:
    """The public rules in force on `day` (defaults when none is stored)."""
    return PublicRules.in_force(day)


# Bulletins ---------------------------------------------------------------------------


def _check_private(text: str, node: Division) -> None:
    problems = drafting.personal_data_in(text, node)
    if problems:
        raise invalid(
            "text",
            _("The bulletin contains personal data and was refused: %(what)s.")
            % {"what": "; ".join(str(p) for p in problems)},
        )


def draft_bulletin(
    user: Any,
    node: Division,
    day: dt.date,
    figures: list[dict] | None = None,
    text: str = "",
    title: str = "",
) -> Bulletin:
    """Draft (or redraft) the day's bulletin: figures from the platform when a source
    app is installed, else the figures headquarters entered."""
    require(user, "add", Bulletin, node=node)
    places: list[str] = []
    if figures is None:
        drafted = drafting.draft_figures(node, day)
        if drafted is None:
            raise invalid("figures", _("enter the figures: no source of case figures"))
        figures, places = drafted
    figures = drafting.figures_from_form(figures)
    text = text.strip() or drafting.compose_text(node.name, day, figures, places)
    title = title.strip() or drafting.compose_title(node.name, day)
    _check_private(f"{title}\n{text}\n{' '.join(places)}", node)
    with transaction.atomic(), actor(user):
        existing = Bulletin.objects.select_for_update().filter(node=node, day=day).first()
        if existing is not None and existing.status == "published":
            raise invalid("day", _("the bulletin of this day is already published"))
        bulletin = existing or Bulletin(node=node, day=day, drafted_by=user)
        bulletin.title, bulletin.text = title, text
        bulletin.figures, bulletin.places = figures, places
        bulletin.drafted_by = user
        bulletin.save()
    return bulletin


def edit_bulletin(user: Any, bulletin: Bulletin, title: str, text: str) -> Bulletin:
    require(user, "change", Bulletin, node=bulletin.node)
    if bulletin.status == "published":
        raise invalid("text", _("a published bulletin cannot be edited"))
    _check_private(f"{title}\n{text}", bulletin.node)
    with transaction.atomic(), actor(user):
        bulletin.title, bulletin.text = title.strip(), text.strip()
        bulletin.save(update_fields=["title", "text"])
    return bulletin


def publish_bulletin(user: Any, bulletin: Bulletin) -> PublishedBulletin:
    """Headquarters publish after review; the public copy is written to its own table
    and the public caches are dropped."""
    require(user, "publish", Bulletin, node=bulletin.node)
    if bulletin.status == "published":
        raise invalid("status", _("already published"))
    _check_private(f"{bulletin.title}\n{bulletin.text}\n{' '.join(bulletin.places)}", bulletin.node)
    now = clock.now()
    with transaction.atomic(), actor(user):
        bulletin.status, bulletin.published_by, bulletin.published_at = "published", user, now
        bulletin.save(update_fields=["status", "published_by", "published_at"])
        copy, _created = PublishedBulletin.objects.update_or_create(
            node_code=bulletin.node.code,
            day=bulletin.day,
            defaults={
                "node_name": bulletin.node.name,
                "title": bulletin.title,
                "text": bulletin.text,
                "figures": bulletin.figures,
                "places": bulletin.places,
                "published_at": now,
            },
        )
    # Drop now, and again once committed (a reader may refill it in between).
    drop_public_cache()
    transaction.on_commit(drop_public_cache)
    return copy


def drop_public_cache() -> None:
    cache.delete_many(list(PUBLIC_CACHE_KEYS))


# Knowledge and rumours ---------------------------------------------------------------


def write_article(user: Any, node: Division, title: str, body: str) -> Article:
    require(user, "add", Article, node=node)
    if not title.strip() or not body.strip():
        raise invalid("title", _("title and text are required"))
    with transaction.atomic(), actor(user):
        return Article.objects.create(node=node, title=title.strip(), body=body, author=user)


def report_rumour(user: Any | None, node: Division, text: str, where_seen: str = "") -> Rumour:
    """A rumour from staff (user given) or from the public page (user None)."""
    if user is not None:
        require(user, "add", Rumour, node=node)
    if len(text.strip()) < 4:
        raise invalid("text", _("describe the rumour"))
    with transaction.atomic(), actor(user):
        return Rumour.objects.create(
            node=node,
            text=text.strip(),
            where_seen=where_seen.strip(),
            source="staff" if user is not None else "public",
            reported_by=user,
        )


def clarify_rumour(
    user: Any, rumour: Rumour, clarification: str, sources: str, dismiss: bool = False
) -> Rumour:
    """Publish the clarification with the rumour's text and the sources (辟谣)."""
    require(user, "change", Rumour, node=rumour.node)
    if not dismiss and (not clarification.strip() or not sources.strip()):
        raise invalid("sources", _("a clarification needs its text and its sources"))
    _check_private(clarification, rumour.node)
    with transaction.atomic(), actor(user):
        rumour.status = "dismissed" if dismiss else "clarified"
        rumour.clarification, rumour.sources = clarification.strip(), sources.strip()
        rumour.clarified_by, rumour.clarified_at = user, clock.now()
        rumour.save()
    return rumour


# Phone codes and public questions ----------------------------------------------------


def ask_question(
    node: Division,
    department: str,
    text: str,
    phone: str = "",
    code: str = "",
) -> Question:
    """A question from the public: with a phone verified by a code, or anonymous (the
    ticket number is the only handle). Routed to `node` and `department`."""
    if department not in Department.values:
        raise invalid("department", _("choose a department"))
    if len(text.strip()) < 5:
        raise invalid("text", _("write your question (at least 5 characters)"))
    if node.level in ("province", "grid"):
        raise invalid("node_code", _("choose a district, town or community"))
    verified = otp_codes.verify(phone, code) if phone.strip() else ""
    now = clock.now()
    with transaction.atomic():
        q = Question(
            node=node,
            department=department,
            text=text.strip(),
            ticket=crypto.reference("Q"),
            due_at=now + dt.timedelta(hours=rules_on(clock.today()).answer_hours),
            created_at=now,
        )
        if verified:
            q.phone_enc = crypto.encrypt(verified, "public.question.phone")
            q.phone_index = crypto.blind_index(verified, "person.phone")
            q.phone_masked = people_rules.mask_phone(verified)
        q.save()
    return q


def answer_question(user: Any, question: Question, answer: str, publish: bool) -> Question:
    # The question's node or any level above it (where escalation sends it) answers.
    require(user, "change", Question, node=question.node)
    if question.answered_at:
        raise invalid("answer", _("already answered"))
    written("answer", answer, _("write the answer"))
    _check_private(answer, question.node)
    with transaction.atomic(), actor(user):
        question.answer, question.published = answer.strip(), publish
        question.answered_by, question.answered_at = user, clock.now()
        question.save()
    return question


def escalate_overdue(at: dt.datetime | None = None) -> int:
    """Move every overdue unanswered question one level up, with a fresh time limit
    from the rules of its day. Run by the sweep; idempotent for a given time."""
    at = at or clock.now()
    moved = 0
    overdue = Question.objects.overdue(at).select_related("node", "escalated_to")
    for q in overdue:
        current = q.escalated_to or q.node
        parent = current.parent
        if parent is None or parent.level == "province":
            continue
        hours = rules_on(clock.today()).answer_hours
        with transaction.atomic():
            q.escalated_to, q.escalated_at = parent, at
            q.due_at = rules.escalation_due(max(q.due_at, at), hours)
            q.save(update_fields=["escalated_to", "escalated_at", "due_at"])
        moved += 1
    return moved


def rate_answer(ticket: str, satisfaction: int) -> Question:
    q = Question.objects.filter(ticket=ticket.strip().upper()).first()
    if q is None or q.answered_at is None:
        raise invalid("ticket", _("no answered question with this ticket"))
    if not rules.satisfaction_valid(satisfaction):
        raise invalid("satisfaction", _("rate from 1 to 5"))
    q.satisfaction = satisfaction
    q.save(update_fields=["satisfaction"])
    return q
