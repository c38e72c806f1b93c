"""Every write of companion detection: start a run, execute it, decide on a candidate."""

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fangkong.analytics.companions import engines, job, store
from fangkong.companions import hooks, rules
from fangkong.companions.choices import Decision, Engine
from fangkong.companions.models import (
    CandidateExposure,
    CompanionRules,
    CompanionRun,
    DataIdentity,
    RunCase,
)
from fangkong.core import clock
from fangkong.core.access import NotAllowed, account_of, actor, require, within
from fangkong.core.jobs import start_job
from fangkong.core.models import Job

MAX_CASES = 1000


def data_root() -> Path:
    return Path(getattr(settings, "FANGKONG_COMPANIONS_DIR", settings.VAR_DIR / "companions"))


def datasets() -> list[str]:
    """Data sets ready for detection: folders under the data root holding stays."""
    root = data_root()
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if (p / "stays").is_dir())


def dataset_dir(name: str) -> Path:
    if not rules.valid_dataset_name(name) or name not in datasets():
        raise ValidationError({"dataset": _("No such data set.")})
    return data_root() / name


def _instant(t: int | None) -> dt.datetime | None:
    return None if t is None else dt.datetime.fromtimestamp(t, tz=dt.UTC)


def start_run(
    user: Any, node: Any, dataset: str, engine: str, case_refs: list[int]
) -> CompanionRun:
    """Check the request, record the run and queue its job (progress on the run's page)."""
    require(user, "add", CompanionRun, message=_("You may not run companion detection."))
    node = node or getattr(user, "node", None)
    if node is None or not within(user, node):
        raise NotAllowed(_("That area is outside your jurisdiction."))
    errors: dict[str, str] = {}
    if engine not in Engine.values:
        errors["engine"] = _("Choose DuckDB or Spark.")
    if not case_refs:
        errors["cases"] = _("Give at least one case id.")
    elif len(case_refs) > MAX_CASES:
        errors["cases"] = _("At most %(n)d cases per run.") % {"n": MAX_CASES}
    try:
        dataset_dir(dataset)
    except ValidationError as exc:
        errors.update({k: " ".join(v) for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    linked = DataIdentity.objects.filter(dataset=dataset, ref__in=case_refs).select_related(
        "person"
    )
    for identity in linked:
        require(user, "view", identity.person, message=_("A case is outside your jurisdiction."))
    with transaction.atomic():
        from fangkong.companions.tasks import run_companions

        job_row = start_job(user, "companions", node, run_companions)
        return record_run(user, job_row, node, dataset, engine, case_refs)


def record_run(
    user: Any, job_row: Job, node: Any, dataset: str, engine: str, case_refs: list[int]
) -> CompanionRun:
    """The run and its cases, under the rules in force, for a job already created."""
    ruleset = CompanionRules.in_force()
    linked = {
        i.ref: i.person
        for i in DataIdentity.objects.filter(dataset=dataset, ref__in=case_refs).select_related(
            "person"
        )
    }
    with transaction.atomic():
        run = CompanionRun.objects.create(
            job=job_row,
            node=node,
            dataset=dataset,
            engine=engine,
            rules=ruleset if ruleset.pk else None,
            theta_seconds=ruleset.theta_minutes * 60,
            bucket_seconds=ruleset.bucket_minutes * 60,
            created_by=account_of(user),
        )
        RunCase.objects.bulk_create(
            RunCase.place_all(
                RunCase(run=run, ref=ref, person=linked.get(ref)) for ref in case_refs
            )
        )
        job_row.total = len(case_refs)
        job_row.save(update_fields=["total"])
    return run


def execute_run(run: CompanionRun, session: Any = None) -> dict:
    """Resolve tracing windows, run the job batch by batch, store the ranked candidates."""
    ruleset = run.rules or CompanionRules.in_force()
    root = data_root() / run.dataset
    params = job.Params(theta=run.theta_seconds, bucket=run.bucket_seconds)
    cases = list(run.cases.all())
    known = store.read_cases(root, [c.ref for c in cases])
    now = int(clock.now().timestamp())
    traced: list[tuple[RunCase, job.Case]] = []
    no_window: list[int] = []
    for case in cases:
        onset, isolated = known.get(case.ref, (None, None))
        window = rules.tracing_window(onset, isolated, ruleset.days_before_onset, now)
        if window is None:
            case.note = _("No tracing window: onset unknown.")
            case.save(update_fields=["note"])
            no_window.append(case.ref)
            continue
        case.window_from, case.window_to = _instant(window[0]), _instant(window[1])
        case.save(update_fields=["window_from", "window_to"])
        traced.append((case, job.Case(case.ref, case.ref, *window)))
    run.job.advance(len(no_window), len(cases))
    identities = DataIdentity.objects.filter(dataset=run.dataset)
    done = len(no_window)
    total_found = 0
    for batch in rules.batches(traced, max(1, ruleset.batch_size)):
        if not batch:
            continue
        kwargs: dict[str, Any] = {"params": params, "risk": ruleset.risk()}
        if run.engine == Engine.SPARK and session is not None:
            kwargs["session"] = session
        rows = engines.run(run.engine, root, [c for _, c in batch], **kwargs)
        by_id = {c.ref: c for c, _ in batch}
        refs = {r[1] for r in rows}
        persons = {i.ref: i.person_id for i in identities.filter(ref__in=refs)}
        with transaction.atomic():
            objs = [_candidate(run, by_id[r[0]], r, persons.get(r[1])) for r in rows]
            CandidateExposure.objects.bulk_create(
                CandidateExposure.place_all(objs), batch_size=1000
            )
            for case, _c in batch:
                case.companions = sum(1 for r in rows if r[0] == case.ref)
                case.save(update_fields=["companions"])
        total_found += len(rows)
        done += len(batch)
        run.job.advance(done, len(cases))
    report = {
        "cases": len(cases),
        "traced": len(traced),
        "no_window": no_window,
        "candidates": total_found,
        "companions_per_case": {str(c.ref): c.companions for c, _ in traced},
    }
    run.report = report
    run.save(update_fields=["report"])
    message = _("%(n)d candidates for %(c)d cases.") % {"n": total_found, "c": len(traced)}
    if no_window:
        message += " " + _("%(n)d cases without a tracing window.") % {"n": len(no_window)}
    run.job.finish(report, message)
    return report


def _candidate(run: CompanionRun, case: RunCase, row: tuple, person_id: int | None) -> Any:
    values = dict(zip(job.COLUMNS, row, strict=True))
    return CandidateExposure(
        run=run,
        case=case,
        ref=values["person"],
        person_id=person_id,
        rank=values["rank"],
        overlap_seconds=values["overlap"],
        cell_seconds=values["cell_overlap"],
        venue_seconds=values["venue_overlap"],
        exposure=values["exposure"],
        shared_stays=values["shared_stays"],
        first_at=dt.datetime.fromtimestamp(values["first_at"], tz=dt.UTC),
        last_at=dt.datetime.fromtimestamp(values["last_at"], tz=dt.UTC),
    )


def decide(
    user: Any, candidate: CandidateExposure, decision: str, note: str = ""
) -> CandidateExposure:
    """Confirm or dismiss a candidate; confirming hands it to contact tracing (hooks)."""
    require(user, "decide", candidate, message=_("You may not decide on this candidate."))
    if decision not in (Decision.CONFIRMED, Decision.DISMISSED):
        raise ValidationError({"decision": _("Choose confirm or dismiss.")})
    if len(note) > 200:
        raise ValidationError({"note": _("At most 200 characters.")})
    with transaction.atomic(), actor(user):
        locked = CandidateExposure.objects.select_for_update().get(pk=candidate.pk)
        if locked.decision != Decision.PENDING:
            raise ValidationError({"decision": _("This candidate was already decided.")})
        locked.decision = decision
        locked.decided_by = user
        locked.decided_at = clock.now()
        locked.decision_note = note
        locked.save(update_fields=["decision", "decided_by", "decided_at", "decision_note"])
        if decision == Decision.CONFIRMED:
            hooks.on_confirmed(locked, user)
    return locked
