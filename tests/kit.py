"""The test kit: the small builders every app's tests share, written once.

The fixtures in `tests/conftest.py` hand these out (`auth`, `login`, `system`, the
headquarters of two counties…); a test module may also import them directly when it
needs one outside a fixture. The app conftests keep only what is their app's own.

factory-boy is not used: every shared builder goes through the app's real action (which
validates, encrypts and places the record) or is a one-line model call, and a factory
class would be a second way to spell the same record."""

import datetime as dt
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")  # the deployment's zone (settings.TIME_ZONE)


def at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    """A local time on a day (9:00 unless told)."""
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def system_user():
    """The unsaved superuser the tests act as when the actor does not matter."""
    from fangkong.core.querysets import system_actor

    return system_actor()


def bearer(user, days: int = 3650, language: str | None = None) -> dict[str, str]:
    """Headers of an API call by `user`: a fresh bearer token (and a language)."""
    from fangkong.accounts.models import ApiToken
    from fangkong.core import clock

    raw = ApiToken.new_raw()
    ApiToken.objects.create(
        user=user, digest=ApiToken.hash(raw), expires_at=clock.now() + dt.timedelta(days=days)
    )
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    if language:
        headers["HTTP_ACCEPT_LANGUAGE"] = language
    return headers


def bearer_en(user) -> dict[str, str]:
    """`bearer`, with answers in English (tests that read the API's messages)."""
    return bearer(user, days=30, language="en")


# ---------------------------------------------------------------- records, one of a kind
#
# Each builder makes one record of its kind under a node of Yuecheng (or the code it is
# given), through the app's action where one exists. `i` makes the record distinct, so
# the list tests can call a builder many times. The scoping test (every route taking an
# id) and the list query test (every list) both take their rows from here.

YUECHENG, TASHAN, HUAYUAN, GRID_A = "330602", "330602001", "330602001004", "330602001004G01"


def division(code: str):
    from fangkong.geo.models import Division

    return Division.objects.get(code=code)


def person(i: int = 0, code: str = GRID_A, name: str = "", **data: str):
    """A registered person (the real action: validation, encryption, blind index)."""
    from fangkong.people.actions import register_person

    found, _similar = register_person(
        system_user(), {"name": name or f"居民{i}", "node_code": code, **data}, confirm_similar=True
    )
    return found


def screening_task(i: int = 0, code: str = GRID_A, due_at=None, address: str = "", **data: str):
    """An open door-to-door task for a new subject at `code`, due in 24 hours unless
    told (`data`: the person's name, phone…)."""
    from fangkong.core import clock
    from fangkong.screening.models import ScreeningSubject, ScreeningTask

    node, who = division(code), person(i, code, **{"name": f"排查{i}", **data})
    subject = ScreeningSubject.objects.create(
        person=who,
        name=who.name,
        id_masked=who.id_masked,
        phone_masked=who.phone_masked,
        address=address or f"测试地址{i}号",
        node=node,
        path=node.path,
        placement="address",
        sources="电信推送",
    )
    due_at = due_at or clock.now() + dt.timedelta(hours=24)
    return ScreeningTask.objects.create(subject=subject, node=node, path=node.path, due_at=due_at)


def screening_exception(i: int = 0, code: str = TASHAN):
    """An open exception in the town's queue (an address the matcher could not place)."""
    from fangkong.screening.models import ExceptionItem

    task = screening_task(i)
    node = division(code)
    return ExceptionItem.objects.create(
        kind="unmatched",
        subject=task.subject,
        task=task,
        address=f"无法匹配的地址{i}号",
        node=node,
        path=node.path,
    )


def declaration_review(i: int = 0, code: str = GRID_A):
    """A public self-declaration about a registered person, waiting for review."""
    import json

    from fangkong.core import crypto
    from fangkong.screening.actions import REVIEW_FIELD
    from fangkong.screening.models import DeclarationReview

    who = person(i, code, f"申报{i}")
    row = {"name": who.name, "origin": "武汉", "arrival_date": "2020-02-01"}
    return DeclarationReview.objects.create(
        person=who,
        node_id=who.node_id,
        path=who.path,
        name=who.name,
        origin="武汉",
        arrival_date="2020-02-01",
        phone_masked="139****5678",
        row_enc=crypto.encrypt(json.dumps(row, ensure_ascii=False), REVIEW_FIELD),
    )


def address_alias(i: int = 0, code: str = GRID_A):
    from fangkong.screening import placing

    return placing.add_alias(system_user(), f"别名小区{i}", division(code))


def pushed_list(i: int = 0, code: str = YUECHENG):
    """An uploaded list that is done (its rows are not needed to reach it by id)."""
    import hashlib

    from fangkong.screening.models import ListSource, PushedList

    node = division(code)
    source, _ = ListSource.objects.get_or_create(node=node, name="电信推送", kind="telecom")
    return PushedList.objects.create(
        source=source,
        file_name=f"名单{i}.csv",
        sha256=hashlib.sha256(f"{code}-{i}".encode()).hexdigest(),
        status="done",
        node=node,
        counts={"rows": 0},
    )


def observation_period(i: int = 0, code: str = GRID_A):
    """An open home observation of a new person (close contact, exposed today)."""
    from fangkong.core import clock
    from fangkong.observation import actions

    who = person(i, code, f"观察{i}")
    return actions.start_period(
        system_user(), who, reason="close_contact", last_exposure=clock.today()
    )


def sent_to_site(i: int = 0, code: str = GRID_A):
    """An observation of a new person sent to the county's quarantine site (made once),
    awaiting a room there (the site's 待入住)."""
    from fangkong.core import clock
    from fangkong.observation import actions
    from fangkong.observation.models import QuarantineSite

    county = division(code[:6])
    site = QuarantineSite.objects.filter(node=county, name="集中隔离点").first()
    site = site or actions.create_site(
        system_user(), name="集中隔离点", address="越城区某路1号", node=county
    )
    who = person(i, code, f"待入住{i}")
    return actions.start_period(
        system_user(), who, reason="close_contact", last_exposure=clock.today(), site=site
    )


def missed_checkin_task(i: int = 0, code: str = GRID_A):
    """The task a missed check-in window leaves (the sweep's row, written directly)."""
    from fangkong.core import clock
    from fangkong.observation.models import AlertTask

    period = observation_period(i, code)
    return AlertTask.objects.create(
        period=period, local_date=clock.today(), window="morning", path=period.path
    )


def referral(i: int = 0, code: str = GRID_A):
    """A pending referral of an observed person to a fever clinic."""
    from fangkong.observation.models import Referral

    period = observation_period(i, code)
    return Referral.objects.create(period=period, reason=f"发热{i}", path=period.path)


def account(role: str, code: str | None, name: str = ""):
    """A stored account of `role` at `code` (the same one for the same name)."""
    from fangkong.accounts.models import User

    user, _ = User.objects.get_or_create(
        username=name or f"kit-{role}-{code}",
        defaults={"role": role, "node": division(code) if code else None, "is_active": True},
    )
    return user


FEVERISH = {
    "temperature": "38.4",
    "symptoms": ["cough"],
    "epi_items": ["travel"],
    "imaging_pneumonia": True,
}


def fever_clinic(code: str = YUECHENG):
    """The county's fever clinic, with its doctor on the staff."""
    from fangkong.clinical import care
    from fangkong.clinical.models import Facility

    found = Facility.objects.filter(kind="fever_clinic", node__code=code).first()
    if found is None:
        found = care.create_facility(
            system_user(), name=f"发热门诊{code}", kind="fever_clinic", node=division(code)
        )
    found.staff.add(account("medical", code, f"kit-doctor-{code}"))
    return found


def clinic_doctor(code: str = YUECHENG):
    return fever_clinic(code).staff.get(username=f"kit-doctor-{code}")


def designated_hospital(code: str = YUECHENG):
    """The county's designated hospital with an isolation ward and an ICU."""
    from fangkong.clinical import care
    from fangkong.clinical.models import Facility

    found = Facility.objects.filter(kind="designated_hospital", node__code=code).first()
    if found is None:
        found = care.create_facility(
            system_user(), name=f"定点医院{code}", kind="designated_hospital", node=division(code)
        )
        care.add_ward(system_user(), found, name="隔离病区", kind="isolation", beds=40)
        care.add_ward(system_user(), found, name="ICU", kind="icu", beds=40)
    return found


def stored_case(
    n: int,
    facility,
    confirmed_at,
    code: str = GRID_A,
    status: str = "confirmed",
    *,
    number: str = "",
    at_clinic: bool = False,
    **extra,
):
    """A case stored by hand (no visit) for a new person living at `code`: placed at that
    home, or with `at_clinic` at the facility's node with its home in `home_path`;
    confirmed at `confirmed_at` unless another status is given."""
    from fangkong.clinical.models import Case

    home = division(code)
    if at_clinic:
        extra = {"path": facility.node.path, "home_path": home.path, **extra}
    return Case.objects.create(
        number=number or f"C{n:05d}",
        person=person(n, code, f"病例{n}"),
        facility=facility,
        county=home.path.split("/")[1],
        status=status,
        diagnosed_at=confirmed_at,
        confirmed_at=confirmed_at if status == "confirmed" else None,
        **{"path": home.path, **extra},
    )


def clinic_visit(i: int = 0, code: str = YUECHENG):
    """An open fever-clinic visit of a new person (feverish, pneumonia on imaging)."""
    from fangkong.clinical.actions import visits

    doctor, clinic = clinic_doctor(code), fever_clinic(code)
    who = person(i, GRID_A, f"就诊{i}")
    return visits.register_visit(doctor, clinic, person=who, **FEVERISH)


def suspected_case(i: int = 0, code: str = YUECHENG):
    """A suspected case opened at the end of a clinic visit."""
    from fangkong.clinical.actions import visits

    visit = clinic_visit(i, code)
    visits.dispose(clinic_doctor(code), visit, "suspected")
    visit.refresh_from_db()
    return visit.case


def sample(i: int = 0, code: str = YUECHENG):
    """A sample of a suspected case, waiting for its result."""
    from fangkong.clinical import samples

    case = suspected_case(i, code)
    return samples.record_sample(
        clinic_doctor(code), case, code=f"S-{code}-{i}", sample_type="sputum"
    )


def transfer(i: int = 0, code: str = YUECHENG):
    """A requested transfer of a suspected case to the designated hospital."""
    from fangkong.clinical import care

    case = suspected_case(i, code)
    return care.request_transfer(
        clinic_doctor(code), case, designated_hospital(code), bed_kind="icu"
    )


def cluster(i: int = 0, code: str = YUECHENG):
    """A cluster of one suspected case, its emergency report due."""
    from fangkong.clinical.models import Cluster
    from fangkong.core import clock

    case = suspected_case(i, code)
    found = Cluster.objects.create(
        setting=f"聚集{i}", threshold=2, emergency_due=clock.now(), path=case.path
    )
    found.cases.add(case)
    return found


def index_case(i: int = 0, code: str = GRID_A, onset: dt.date = dt.date(2020, 3, 1)):
    """A case under tracing (onset and isolation dates given)."""
    from fangkong.tracing import actions

    who = person(i, code, f"病例{i}")
    return actions.open_index_case(
        system_user(),
        who,
        {"onset_date": onset, "isolated_on": onset + dt.timedelta(days=2), "specimen_date": onset},
    )


def contact(i: int = 0, code: str = GRID_A):
    """A household close contact of a new index case."""
    from fangkong.tracing import actions

    index = index_case(i, code)
    return actions.add_contact(
        system_user(),
        index,
        {
            "person": person(i, code, f"密接{i}"),
            "setting": "household",
            "first_exposure": dt.date(2020, 2, 28),
        },
    )


def chain(i: int = 0, code: str = GRID_A):
    """A transmission chain of two cases (the chains are rebuilt from the edges)."""
    from fangkong.tracing import actions
    from fangkong.tracing.chains import build_chains

    first = index_case(2 * i, code)
    second = index_case(2 * i + 1, code, onset=dt.date(2020, 3, 3))
    actions.record_transmission(
        system_user(), first, second, exposure_date=dt.date(2020, 3, 1), setting="household"
    )
    build_chains()
    return first.chains.get()


def target(i: int = 0, code: str = YUECHENG):
    """A target of the county's headquarters with one indicator."""
    from fangkong.command import actions

    hq = account("county_hq", code)
    return actions.create_target(
        hq,
        division(code),
        f"目标{i}",
        hq,
        [{"name": "新增确诊", "goal": 0, "direction": "at_most"}],
    )


def indicator(i: int = 0, code: str = YUECHENG):
    return target(i, code).indicators.get()


def rest_rules() -> None:
    """The rest rules the roster checks (a flush by a transactional test removes them)."""
    import importlib

    from django.apps import apps

    seeds = importlib.import_module("fangkong.mobilisation.migrations.0002_seed_rest_rules")
    seeds.seed(apps, None)


def confirmed_member(i: int = 0, code: str = HUAYUAN):
    """A Party member registered with the community and confirmed by it."""
    from fangkong.mobilisation.actions import members, registration

    node = division(code)
    data = {"name": f"党员{i}", "phone": f"1380000{i:04d}"}
    member = members.save_member(system_user(), None, data, node=node)
    registration.confirm(system_user(), registration.register(member, node))
    member.refresh_from_db()
    return member


def checkpoint(code: str = HUAYUAN, day: dt.date = dt.date(2020, 2, 10)):
    """The community's checkpoint with its shifts planned for 30 days from `day`."""
    from fangkong.mobilisation.actions import rosters
    from fangkong.mobilisation.models import Post

    found = Post.objects.filter(node__code=code, name="卡口").first()
    if found is None:
        data = {"name": "卡口", "kind": "checkpoint", "required_per_shift": 40, "shift_hours": 8}
        found = rosters.save_post(system_user(), None, node=division(code), data=data)
        rosters.plan_shifts(system_user(), found, day, 30)
    return found


def assignment(i: int = 0, code: str = HUAYUAN):
    """A confirmed member on a shift of the community's checkpoint (a shift a day)."""
    from fangkong.mobilisation.actions import rosters

    rest_rules()
    shift = checkpoint(code).shifts.order_by("starts_at")[3 * (i % 30)]
    return rosters.assign(system_user(), shift, confirmed_member(i, code))


def self_declaration(i: int = 0, code: str = GRID_A):
    """A resident's self-service declaration (green, no symptoms), as `apply` stores it."""
    from fangkong.selfservice.models import Declaration

    who = person(i, code, f"自助{i}")
    return Declaration.objects.create(
        person=who,
        relation="self",
        applicant_name=who.name,
        phone_enc=b"",
        phone_index="",
        phone_masked="139****5678",
        node=who.node,
        consent="本人",
        day=dt.date(2020, 2, 1 + i % 28),
        colour="green",
        path=who.path,
    )


def appeal(i: int = 0, code: str = GRID_A):
    """A resident's appeal against their code colour, waiting for a decision."""
    from fangkong.selfservice import actions

    return actions.file_appeal(person(i, code, f"申诉{i}"), "我没有去过武汉，颜色判错了")


def partner(code: str = "330100"):
    """Hangzhou, a partner city for hand-overs (a fresh public key)."""
    import base64

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from fangkong.exchange import actions
    from fangkong.exchange.models import Partner

    found = Partner.objects.filter(code=code).first()
    if found is None:
        raw = (
            Ed25519PrivateKey.generate()
            .public_key()
            .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        )
        key = base64.b64encode(raw).decode()
        data = {"code": code, "name": "杭州市", "url": "", "public_key": key}
        found = actions.save_partner(system_user(), data)
    return found


def handover_request(i: int = 0, code: str = YUECHENG):
    """An outgoing hand-over request of the county to Hangzhou."""
    from fangkong.core import clock
    from fangkong.exchange import actions

    data = {
        "name": f"协查{i}",
        "sex": "M",
        "phone": "13905751234",
        "address": "杭州市西湖区某路1号",
        "residence_code": "330106",
        "reason": "close_contact",
        "ask": "observe",
        "deadline": (clock.now() + dt.timedelta(hours=24)).isoformat(),
        "contact": "越城区疾控",
    }
    return actions.new_request(account("county_hq", code), partner(), data)


def orphan_visit(i: int = 0, code: str = GRID_A):
    """A visit sent by a phone for a task the server no longer has."""
    from fangkong.core import clock
    from fangkong.offline.models import OrphanVisit

    return OrphanVisit.objects.create(
        task_ref=f"T-{i}",
        subject_name=f"离线{i}",
        recorded_at=clock.now(),
        data={"outcome": "cleared"},
        path=division(code).path,
    )


def companion_run(i: int = 0, code: str = YUECHENG):
    """A finished companion run of the county (its results written directly: the
    engines are tested in tests/companions)."""
    from fangkong.companions.models import CompanionRun
    from fangkong.core.models import Job

    job = Job.objects.create(kind="companions", status="done")
    return CompanionRun.objects.create(
        job=job,
        node=division(code),
        dataset=f"数据{i}",
        engine="duckdb",
        theta_seconds=600,
        bucket_seconds=14400,
    )


def companion_candidate(i: int = 0, code: str = YUECHENG):
    """A ranked candidate of a run's case, waiting for the investigator."""
    from fangkong.companions.models import CandidateExposure, RunCase
    from fangkong.core import clock

    run = companion_run(i, code)
    case = RunCase.objects.create(run=run, ref=1)
    now = clock.now()
    return CandidateExposure.objects.create(
        run=run,
        case=case,
        ref=100 + i,
        rank=1,
        overlap_seconds=3600,
        cell_seconds=3600,
        venue_seconds=0,
        exposure=3600,
        shared_stays=1,
        first_at=now - dt.timedelta(hours=2),
        last_at=now - dt.timedelta(hours=1),
    )


def directive(
    i: int = 0,
    code: str = YUECHENG,
    *,
    title: str = "",
    text: str = "请完成排查",
    by=None,
    deadline=None,
    levels: tuple[str, ...] | None = None,
    node_codes: tuple[str, ...] = (),
    **extra,
):
    """A directive of the headquarters at `code` (the county's unless `by` is another
    account) to its towns, or to `levels` or `node_codes`; due in two days unless a
    `deadline` is given (`extra`: feedback_required…)."""
    from fangkong.command import actions
    from fangkong.core import clock

    hq = by or account("county_hq", code)
    if levels is None:
        levels = () if node_codes else ("town",)
    return actions.issue_directive(
        hq,
        division(code),
        title=title or f"通知{i}",
        text=text,
        owner=hq,
        deadline=deadline or clock.now() + dt.timedelta(days=2),
        levels=list(levels),
        node_codes=list(node_codes),
        **extra,
    )


def laggard(i: int = 0, code: str = YUECHENG):
    """A village that has not answered the county's standing directive (the i-th village
    of the county is one more recipient of the same directive)."""
    from fangkong.command.models import Directive, DirectiveReceipt
    from fangkong.geo.models import Division

    villages = Division.objects.filter(path__startswith=division(code).path, level="village")
    target = villages.order_by("code")[i]
    issued = Directive.objects.filter(node__code=code, title="督办通知").first()
    if issued is None:
        return directive(code=code, title="督办通知", node_codes=(target.code,)).receipts.get()
    return DirectiveReceipt.objects.bulk_create(
        DirectiveReceipt.place_all(
            [DirectiveReceipt(directive=issued, node=target, level="village")]
        )
    )[0]


def task_force(i: int = 0, code: str = YUECHENG):
    from fangkong.command import actions

    hq = account("county_hq", code)
    return actions.create_task_force(hq, division(code), f"专班{i}", hq, [], "排查管控")


def registration(i: int = 0, code: str = HUAYUAN):
    """A Party member's registration with the community, waiting for confirmation."""
    from fangkong.mobilisation.actions import members
    from fangkong.mobilisation.actions import registration as registrations

    node = division(code)
    data = {"name": f"报到{i}", "phone": f"1390000{i:04d}"}
    member = members.save_member(system_user(), None, data, node=node)
    return registrations.register(member, node)


def care_categories() -> None:
    """The seeded categories of difficulties (a flush by a transactional test removes them)."""
    import importlib

    from fangkong.care.models import Category

    seeded = importlib.import_module("fangkong.care.migrations.0002_defaults").CATEGORIES
    for order, (code, name) in enumerate(seeded):
        Category.objects.get_or_create(code=code, defaults={"name": name, "order": order})


def difficulty(
    i: int = 0,
    code: str = HUAYUAN,
    phone: str = "",
    *,
    by=None,
    reporter_name: str = "",
    category: str = "medical",
    description: str = "需要配药帮助",
):
    """A front-line worker's family difficulty reported by the community's staff (`by`,
    or an account of its own; from the staff's phone unless one is given)."""
    from fangkong.care import actions

    care_categories()
    staff = by or account("village_staff", code)
    return actions.report_difficulty(
        staff,
        phone=phone or f"1391234{i:04d}",
        reporter_name=reporter_name or f"家属{i}",
        category=category,
        description=description,
        node=staff.node,
    )


def deed(
    staff,
    *,
    title: str = "坚守卡口",
    text: str = "他主动请缨到村口卡口值守二十天。",
    hero_name: str = "李明",
    **extra,
):
    """A good deed the community's `staff` submitted, waiting for review (`extra`: the
    member, photos…)."""
    from fangkong.care import actions

    data = {"title": title, "text": text, "hero_name": hero_name, **extra}
    return actions.submit_deed(staff, staff.node, **data)


def resume_application(i: int = 0, code: str = HUAYUAN):
    """An enterprise's application to resume work, filed by the community."""
    from fangkong.public import returns

    return returns.apply_to_resume(
        account("village_staff", code),
        division(code),
        f"企业{i}",
        "91330602MA2EEEEE1A",
        "钱",
        "预案",
        dt.date(2020, 2, 10),
        [{"name": "甲"}],
    )


def plan_team(
    inspector,
    code: str = YUECHENG,
    *,
    starts_on: dt.date | None = None,
    days: int = 20,
    topics: tuple[str, ...] = ("screening", "checkpoints"),
    title: str = "春节督查",
    name: str = "第一组",
    members: tuple = (),
):
    """The one team (led by `inspector`, with `members`) of an inspection plan of the
    office at `code`, from `starts_on` (today unless told) for `days` days."""
    from fangkong.core import clock
    from fangkong.supervision import actions

    starts_on = starts_on or clock.today()
    plan = actions.create_plan(
        inspector,
        division(code),
        title=title,
        starts_on=starts_on,
        ends_on=starts_on + dt.timedelta(days=days),
        topics=list(topics),
    )
    return actions.add_team(inspector, plan, name=name, leader=inspector, members=list(members))


def scheduled_inspection(inspector, plan_code: str, code: str, kind: str = "open", **plan):
    """An inspection of `code` by the team of a new plan at `plan_code` (`plan`: as
    `plan_team` takes it), planned on the plan's first day, on the plan's topics."""
    from fangkong.supervision import actions

    team = plan_team(inspector, plan_code, **plan)
    return actions.schedule_inspection(
        inspector,
        team,
        division(code),
        kind=kind,
        planned_on=team.plan.starts_on,
        topics=list(team.plan.topics),
    )


def inspection_team(code: str = YUECHENG):
    """The first team of the county's inspection plan (10 to 30 February 2020)."""
    from fangkong.supervision.models import InspectionTeam

    found = InspectionTeam.objects.filter(plan__node__code=code).first()
    return found or plan_team(account("discipline", code), code, starts_on=dt.date(2020, 2, 10))


def inspection(i: int = 0, code: str = HUAYUAN):
    """An open inspection of the community by the county's team."""
    from fangkong.supervision import actions

    team = inspection_team()
    return actions.schedule_inspection(
        account("discipline", YUECHENG),
        team,
        division(code),
        kind="open",
        planned_on=dt.date(2020, 2, 11 + i % 18),
        topics=["screening", "checkpoints"],
    )


def rectification(i: int = 0, code: str = HUAYUAN):
    """A finding of a recorded inspection, its rectification assigned to the community."""
    from fangkong.supervision import actions

    inspector = account("discipline", YUECHENG)
    visit = inspection(i, code)
    finding = actions.add_finding(
        inspector, visit, description=f"卡口无人值守{i}", topic="checkpoints"
    )
    actions.record_inspection(inspector, visit, "发现一个问题")
    return actions.assign_rectification(
        inspector, finding, owner_node=division(code), requirement="安排值守"
    )


def checkin(i: int = 0, code: str = GRID_A):
    """A normal reading of the observation period of the grid (one period, many readings)."""
    import uuid

    from fangkong.observation import checkins
    from fangkong.observation.models import ObservationPeriod

    period = ObservationPeriod.objects.filter(path=division(code).path).first()
    period = period or observation_period(0, code)
    found, _created = checkins.check_in(
        period, client_id=str(uuid.uuid4()), temperature="36.5", reporter_kind="self"
    )
    return found


def market(code: str = TASHAN):
    from fangkong.supplies.models import Market

    found, _ = Market.objects.get_or_create(name="塔山农贸市场", kind="market", node=division(code))
    return found


def price_report(i: int = 0, code: str = TASHAN):
    """A market's price of a basket item on a day of February 2020 (one day a row)."""
    from fangkong.supplies.actions import prices
    from fangkong.supplies.models import Item
    from tests.supplies.conftest import ensure_catalogue

    ensure_catalogue()
    item = Item.objects.get(standard="N95")
    return prices.report_price(system_user(), market(code), item, dt.date(2020, 2, 1 + i), "5.5")


def handover(i: int = 0, code: str = GRID_A):
    """A visited task whose decision (centralised observation) awaits the observation app."""
    from fangkong.core import clock
    from fangkong.screening.models import ScreeningTask

    task = screening_task(i, code)
    ScreeningTask.objects.filter(pk=task.pk).update(
        status="done", outcome="central", handover="pending", visited_at=clock.now()
    )
    task.refresh_from_db()
    return task


def briefing(i: int = 0, code: str = YUECHENG):
    """The county's briefing computed for a day of February 2020 (one day a row)."""
    from fangkong.briefing import compute

    return compute.compute(division(code), dt.date(2020, 2, 1 + i))


def health_code(i: int = 0, code: str = GRID_A):
    """A red health code of a new person (stored directly, as the recompute stores it)."""
    from fangkong.healthcode.models import HealthCode

    who = person(i, code, f"红码{i}")
    found, _ = HealthCode.objects.update_or_create(
        person=who,
        defaults={"colour": "red", "since": dt.date(2020, 2, 1 + i % 28), "path": who.path},
    )
    return found


def code_change(i: int = 0, code: str = GRID_A):
    """A change of colour of the grid's first person with a history (one person, many
    changes; the recompute's row, stored directly)."""
    from fangkong.healthcode.models import CodeChange

    earlier = CodeChange.objects.filter(path=division(code).path).first()
    who = earlier.person if earlier else person(0, code, "码主")
    return CodeChange.objects.create(
        person=who,
        from_colour="green" if i % 2 else "yellow",
        to_colour="yellow" if i % 2 else "green",
        reasons=[f"原因{i}"],
        at=at(dt.date(2020, 2, 1 + i % 28)),
        path=who.path,
    )


def cadre(i: int = 0, code: str = HUAYUAN):
    """A cadre of the community (a member record, no account)."""
    from fangkong.mobilisation.models import Member

    return Member.objects.create(
        name=f"干部{i}", is_cadre=True, cadre_rank="科级", path=division(code).path
    )


def commendation(i: int = 0, code: str = HUAYUAN):
    """A cadre of the community commended by the county's organisation department."""
    from fangkong.supervision import actions

    return actions.commend(
        account("organisation", YUECHENG),
        member=cadre(i, code),
        title=f"先进个人{i}",
        reason="坚守一线",
        decided_by="organisation_department",
        decided_on=dt.date(2020, 2, 1 + i % 28),
    )


def accountability_case(i: int = 0, code: str = HUAYUAN):
    """An accountability case against a cadre, resting on a recorded inspection's finding."""
    from fangkong.supervision import actions
    from fangkong.supervision.models import AccountabilityDecision

    inspector = account("discipline", YUECHENG)
    visit, who = inspection(i, code), cadre(i, code)
    finding = actions.add_finding(
        inspector, visit, description=f"卡口无人值守{i}", topic="checkpoints", cadre=who
    )
    actions.record_inspection(inspector, visit, "发现一个问题")
    return actions.open_case(
        account("organisation", YUECHENG),
        finding=finding,
        member=who,
        decision=AccountabilityDecision.objects.get(code="admonishment_talk"),
        decided_by="organisation_department",
        decided_on=dt.date(2020, 2, 1 + i % 28),
        summary=f"值守不力{i}",
    )


def overdue_rectification(i: int = 0, code: str = HUAYUAN):
    """A rectification of the community a month past its deadline: escalated to the town
    (the deadline moved back directly; an assignment cannot set a past one)."""
    from fangkong.core import clock
    from fangkong.supervision.models import Rectification

    task = rectification(i, code)
    Rectification.objects.filter(pk=task.pk).update(deadline=clock.today() - dt.timedelta(days=30))
    task.refresh_from_db()
    return task


def grid(i: int = 0, code: str = HUAYUAN):
    """A new grid of the community named 测试网格 (the tree's loader places it)."""
    from fangkong.geo.loaders import import_grids

    row = {
        "village_code": code,
        "grid_code": str(10 + i),
        "name": f"测试网格{i}",
        "households": "9",
    }
    report = import_grids([row])
    assert not report.rejected, report.rejected
    return division(f"{code}G{10 + i:02d}")


def report_template(code: str = YUECHENG):
    """The county's daily report expected from its towns (from 1 February 2020)."""
    from fangkong.command import actions
    from fangkong.command.models import ReportTemplate

    found = ReportTemplate.objects.filter(node__code=code, name="每日排查").first()
    if found is None:
        found = actions.create_report_template(
            account("county_hq", code),
            division(code),
            name="每日排查",
            level="town",
            deadline_time=dt.time(18),
            fields=["排查人数"],
            starts_on=dt.date(2020, 2, 1),
        )
    return found


def submission(i: int = 0, code: str = YUECHENG, town: str = TASHAN):
    """The town's report of a day of February 2020 (one day a row), sent in time."""
    from fangkong.command import actions
    from fangkong.core import clock

    day = dt.date(2020, 2, 1 + i)
    with clock.frozen(at(day, 8)):
        return actions.submit_report(
            account("town_hq", town), report_template(code), division(town), day, {"排查人数": i}
        )


def undelivered_notice(i: int = 0, code: str = YUECHENG, town: str = TASHAN):
    """A text message of the county's first directive that could not be sent (the
    sender's rows, stored directly: the sender runs on commit)."""
    from fangkong.command.models import Directive
    from fangkong.notify.models import Delivery, Notice

    issued = Directive.objects.filter(node__code=code).first() or directive(0, code)
    node = division(town)
    notice = Notice.objects.create(
        kind="directive",
        key=f"directive:{issued.pk}:kit{i}",
        recipient_node=node,
        title=f"指令{i}",
        path=node.path,
    )
    return Delivery.objects.create(
        notice=notice, channel="sms", status="failed", answer="无手机号，仅站内通知", path=node.path
    )


def approval_batch(i: int = 0, code: str = YUECHENG):
    """A published batch of one enterprise approved to resume work (the approval written
    directly: the application's own steps are tested in tests/public)."""
    from fangkong.public import returns
    from fangkong.public.models import WorkApplication

    app = resume_application(i)
    WorkApplication.objects.filter(pk=app.pk).update(status="approved")
    return returns.publish_batch(account("county_hq", code), division(code))


def member_registration(i: int = 0, code: str = HUAYUAN, phone: str = "13800009999"):
    """A declined registration of the member of `phone` (one member, many registrations)."""
    from fangkong.mobilisation.actions import members
    from fangkong.mobilisation.models import Member, Registration

    node = division(code)
    found = Member.objects.with_phone(phone).first()
    if found is None:
        data = {"name": "报到人", "phone": phone}
        found = members.save_member(system_user(), None, data, node=node)
    return Registration.objects.create(
        member=found,
        community=node,
        status="declined",
        decline_reason=f"理由{i}",
        path=node.path,
    )


def audit_entry(i: int = 0, code: str = GRID_A, by=None):
    """A read of a new person's record by `by` (an account), as the audit log keeps it."""
    from fangkong.core import audit

    return audit.record_access(by, person(i, code, f"查阅{i}"), "health code")
