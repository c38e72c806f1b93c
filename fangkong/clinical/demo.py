"""The demo step: Shaoxing's fever clinics and designated hospitals, with patients of
the demo population at every stage of the pathway. Idempotent: a second run finds the
facilities and patients in place and adds nothing."""

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from fangkong.clinical import care, investigation, samples
from fangkong.clinical.actions import cases, rulesets, visits
from fangkong.clinical.models import Case, ClinicVisit, Facility, Ward
from fangkong.core import clock
from fangkong.core.querysets import system_actor

CLINICS = [
    ("330602", "绍兴市人民医院发热门诊"),
    ("330603", "绍兴市中心医院发热门诊"),
    ("330604", "上虞区人民医院发热门诊"),
    ("330624", "新昌县人民医院发热门诊"),
    ("330681", "诸暨市人民医院发热门诊"),
    ("330683", "嵊州市人民医院发热门诊"),
]
HOSPITALS = [
    (
        "330602",
        "绍兴市第六人民医院",
        [
            ("隔离一病区", "isolation", 20),
            ("负压病区", "negative_pressure", 8),
            ("重症监护室", "icu", 6),
        ],
    ),
    (
        "330681",
        "诸暨市人民医院（定点）",
        [("隔离病区", "isolation", 12), ("负压病区", "negative_pressure", 4), ("ICU", "icu", 3)],
    ),
]
FEVER = {
    "temperature": "38.3",
    "symptoms": ["fever", "cough"],
    "epi_items": ["travel"],
    "imaging_pneumonia": True,
}
MILD = {
    "temperature": "37.0",
    "symptoms": ["sore_throat"],
    "epi_items": [],
    "imaging_pneumonia": False,
}


def _doctor(code: str, facility: Facility) -> Any:
    """The demo `medical` account works in Yuecheng; elsewhere a named doctor account
    without a password (it signs nothing in; it answers for the demo patients)."""
    from fangkong.accounts.models import User
    from fangkong.geo.models import Division

    user = (
        User.objects.filter(role="medical", node__code=code, is_active=True).order_by("pk").first()
    )
    if user is None:
        user = User(
            username=f"doctor_{code}",
            role="medical",
            node=Division.objects.get(code=code),
            display_name=f"{facility.name[:6]}医生",
        )
        user.set_unusable_password()
        user.save()
    return user


def _facilities(system: Any) -> tuple[dict[str, Facility], dict[str, Facility]]:
    from fangkong.clinical.models import ExpertTeam
    from fangkong.geo.models import Division

    clinics, hospitals = {}, {}
    for code, name in CLINICS:
        clinics[code] = care.create_facility(
            system, name=name, kind="fever_clinic", node=Division.objects.get(code=code)
        )
    for code, name, wards in HOSPITALS:
        h = care.create_facility(
            system, name=name, kind="designated_hospital", node=Division.objects.get(code=code)
        )
        hospitals[code] = h
        for wname, kind, beds in wards:
            if not Ward.objects.filter(facility=h, name=wname).exists():
                care.add_ward(system, h, name=wname, kind=kind, beds=beds)
        if not ExpertTeam.objects.filter(facility=h).exists():
            care.add_team(
                system,
                h,
                "重症救治专家组",
                [
                    {"name": "陈主任", "specialty": "呼吸与危重症", "role": "lead"},
                    {"name": "刘医生", "specialty": "感染科", "role": "member"},
                    {"name": "杨医生", "specialty": "重症医学", "role": "member"},
                ],
            )
    return clinics, hospitals


def run(seed: int) -> str:
    from fangkong.people.models import Person

    system = system_actor()
    clinics, hospitals = _facilities(system)
    if ClinicVisit.objects.exists():
        return f"{len(clinics)} fever clinics, {len(hospitals)} designated hospitals; patients already present"
    rng = random.Random(seed)
    base = clock.now().replace(minute=0, second=0, microsecond=0) - dt.timedelta(days=10)
    made = 0
    for code, clinic in clinics.items():
        doctor = _doctor(code, clinic)
        if code != "330602":
            clinic.staff.add(doctor)
        hospital = hospitals["330681" if code in ("330681", "330683") else "330602"]
        ward_doctor = doctor
        people = list(
            Person.objects.under(f"3306/{code}/")
            .filter(merged_into__isnull=True)
            .exclude(observation_periods__status__in=["active", "referred"])
            .order_by("pk")[:60]
        )
        if len(people) < 20:
            continue
        rng.shuffle(people)
        it = iter(people)
        made += _stages(system, doctor, ward_doctor, clinic, hospital, it, base, code)
    _onsets_and_sources(system, rng, base)
    return f"{len(clinics)} fever clinics, {len(hospitals)} designated hospitals, {made} patients at every stage"


ORIGINS_OUTSIDE = ["湖北省武汉市", "湖北省孝感市", "湖北省黄冈市", "广东省深圳市"]
ORIGINS_PROVINCE = ["杭州市", "宁波市", "温州市"]


def _onsets_and_sources(system: Any, rng: random.Random, base: dt.datetime) -> None:
    """Onset a few days before confirmation (none for asymptomatic infections); many
    imported cases in the first days of the outbreak, fewer later; the newest cases
    partly still under investigation."""
    from django.utils import timezone

    for case in Case.objects.filter(confirmed_at__isnull=False).order_by("confirmed_at", "pk"):
        at = case.confirmed_at or case.diagnosed_at
        confirmed = timezone.localdate(at)
        day = (at - base).days
        onset = None
        if case.status != "asymptomatic":
            onset = confirmed - dt.timedelta(days=rng.choice([1, 2, 3, 3, 4, 4, 5, 6, 7]))
        share = 0.6 if day < 3 else 0.25 if day < 6 else 0.05
        draw = rng.random()
        if draw < share:
            outside = rng.random() < 0.7
            source = "outside_province" if outside else "other_city"
            note = rng.choice(ORIGINS_OUTSIDE if outside else ORIGINS_PROVINCE)
        elif day >= 8 and draw > 0.8:
            source, note = "unknown", ""
        else:
            source, note = "local", ""
        investigation.set_onset_source(
            system, case, onset_date=onset, source=source, source_note=note
        )


def _at(t: dt.datetime):  # type: ignore[no-untyped-def]
    return clock.frozen(t)


def _visit(doctor: Any, clinic: Facility, person: Any, when: dt.datetime, findings: dict) -> Any:
    with _at(when):
        return visits.register_visit(doctor, clinic, person=person, **findings)


def _suspect(doctor: Any, clinic: Facility, person: Any, when: dt.datetime) -> Case:
    v = _visit(doctor, clinic, person, when, FEVER)
    with _at(when + dt.timedelta(minutes=40)):
        visits.dispose(doctor, v, "suspected")
    return Case.objects.get(visit=v)


def _report(doctor: Any, case: Case) -> None:
    """The direct report through the report card (exported, acknowledged), by whichever
    app registered it (clinical.hooks.register_demo_reporter)."""
    from fangkong.clinical.hooks import demo_reporters

    for report in demo_reporters():
        report(doctor, case)


def _confirm(doctor: Any, case: Case, when: dt.datetime, code: str, severity: str = "mild") -> Case:
    with _at(when):
        _report(doctor, case)
        s = samples.record_sample(
            doctor, case, code=code, sample_type="throat_swab", lab="绍兴市疾控中心实验室"
        )
    with _at(when + dt.timedelta(hours=5)):
        samples.record_result(doctor, s, "positive", ct_orf1ab="27.4", ct_n="29.1")
        case = cases.classify(doctor, case, "confirmed", severity=severity, reason="")
        _report(doctor, case)
        if case.emergency_due:
            cases.mark_emergency_reported(doctor, case)
    case.refresh_from_db()
    return case


def _admit(
    doctor: Any,
    case: Case,
    hospital: Facility,
    when: dt.datetime,
    kind: str = "isolation",
    stop: str = "arrive",
) -> Any:
    with _at(when):
        t = care.request_transfer(doctor, case, hospital, bed_kind=kind)
        if stop == "request":
            return t
        ward = Ward.objects.filter(facility=hospital, kind=kind).get()
        t = care.assign_bed(doctor, t, ward)
        if stop == "bed":
            return t
        t = care.depart(doctor, t, vehicle="浙D-120" + str(case.pk % 100).zfill(2))
    with _at(when + dt.timedelta(hours=1)):
        return care.arrive(doctor, t)


@dataclass(frozen=True)
class _County:
    """One county's demo pathway: its doctors, clinic and hospital, the persons drawn in
    the order of the stages, the day it starts and the county's code."""

    doctor: Any
    wd: Any  # the ward doctor
    clinic: Facility
    hospital: Facility
    people: Any
    base: dt.datetime
    code: str


def _stages(
    system: Any,
    doctor: Any,
    wd: Any,
    clinic: Facility,
    hospital: Facility,
    people: Any,
    base: dt.datetime,
    code: str,
) -> int:
    """Every stage of the pathway in one county. The number of visits and cases made."""
    county = _County(doctor, wd, clinic, hospital, people, base, code)
    n = _clinic_stages(county, clock.now())
    n += _admitted_stages(county)
    n += _discharged_and_cluster(county)
    _died(county)
    return n + 1


def _clinic_stages(county: _County, now: dt.datetime) -> int:
    """Visits that end at the clinic: open, sent home, to observation; suspected cases
    with the report running and overdue; one excluded."""
    doctor, clinic, people, base, code = (
        county.doctor,
        county.clinic,
        county.people,
        county.base,
        county.code,
    )
    # Open visit, home, observation.
    _visit(doctor, clinic, next(people), now - dt.timedelta(minutes=30), MILD)
    v = _visit(doctor, clinic, next(people), base + dt.timedelta(days=9), MILD)
    with _at(base + dt.timedelta(days=9, hours=1)):
        visits.dispose(doctor, v, "home", note="居家随访，3天后复诊")
    v = _visit(doctor, clinic, next(people), base + dt.timedelta(days=9), MILD)
    with _at(base + dt.timedelta(days=9, hours=1)):
        visits.dispose(doctor, v, "observation")
    # Suspected, report running; suspected, report overdue; excluded.
    _suspect(doctor, clinic, next(people), now - dt.timedelta(minutes=50))
    _suspect(doctor, clinic, next(people), now - dt.timedelta(hours=4))
    c = _suspect(doctor, clinic, next(people), base + dt.timedelta(days=7))
    with _at(base + dt.timedelta(days=7, hours=2)):
        _report(doctor, c)
        s = samples.record_sample(doctor, c, code=f"D{code}-X", sample_type="nasal_swab")
    with _at(base + dt.timedelta(days=7, hours=8)):
        samples.record_result(doctor, s, "negative")
        cases.classify(doctor, c, "excluded", reason="两次核酸阴性，排除")
    return 6


def _admitted_stages(county: _County) -> int:
    doctor, wd, clinic, hospital = county.doctor, county.wd, county.clinic, county.hospital
    people, base, code = county.people, county.base, county.code
    n = 0
    # Confirmed: awaiting a bed, in transport, admitted mild, severe with experts, critical.
    for i, (stop, severity, kind) in enumerate(
        [
            ("request", "mild", "isolation"),
            ("bed", "moderate", "isolation"),
            ("arrive", "mild", "isolation"),
            ("arrive", "severe", "negative_pressure"),
            ("arrive", "critical", "icu"),
        ]
    ):
        start = base + dt.timedelta(days=3 + i, hours=2)
        c = _suspect(doctor, clinic, next(people), start)
        c = _confirm(doctor, c, start + dt.timedelta(hours=1), f"D{code}-{i}", severity)
        _admit(doctor, c, hospital, start + dt.timedelta(hours=8 + 3 * i), kind, stop)
        c.refresh_from_db()
        if stop == "arrive":
            for d in range(1, 3):
                with _at(start + dt.timedelta(days=d, hours=6)):
                    care.record_daily(
                        wd,
                        c,
                        {"max_temperature": "38.0" if d == 1 else "37.1", "severity": severity},
                    )
        if severity == "severe":
            from fangkong.clinical.models import ExpertTeam

            with _at(start + dt.timedelta(days=1)):
                care.assign_experts(wd, c, ExpertTeam.objects.filter(facility=hospital).get())
        n += 1
    return n


def _discharged_and_cluster(county: _County) -> int:
    doctor, wd, clinic, hospital = county.doctor, county.wd, county.clinic, county.hospital
    people, base, code = county.people, county.base, county.code
    n = 1  # the discharged case
    # Discharged (R8 met) → post-discharge observation; died; a household cluster.
    c = _suspect(doctor, clinic, next(people), base)
    c = _confirm(doctor, c, base + dt.timedelta(hours=1), f"D{code}-D")
    _admit(doctor, c, hospital, base + dt.timedelta(hours=10))
    with _at(base + dt.timedelta(hours=12)):
        investigation.set_setting(doctor, c, f"{clinic.node.name}某小区{code[-2:]}幢")
        investigation.add_exposure(
            doctor,
            c.investigation,
            {
                "name": "家属甲",
                "relation": "配偶",
                "last_contact": (base - dt.timedelta(days=1)).date(),
            },
        )
        investigation.complete_investigation(doctor, c.investigation, "居家聚集，家属已落实隔离")
    for d in range(1, 9):
        with _at(base + dt.timedelta(days=d, hours=7)):
            care.record_daily(
                wd,
                c,
                {
                    "max_temperature": "38.2" if d < 3 else "36.6",
                    "symptoms_improved": d > 5,
                    "imaging_improved": d > 5,
                },
            )
    for k, d in enumerate((7, 8)):
        with _at(base + dt.timedelta(days=d, hours=8)):
            s = samples.record_sample(wd, c, code=f"D{code}-N{k}", sample_type="throat_swab")
            samples.record_result(wd, s, "negative")
    with _at(base + dt.timedelta(days=8, hours=12)):
        care.discharge(wd, c)
    # The household cluster: as many linked cases as the rule set in force asks (R10),
    # in the city's first county only.
    extra = (
        rulesets.rules_in_force(clock.today()).r10_cluster_threshold - 1 if code == "330602" else 1
    )
    for k in range(extra):
        when = base + dt.timedelta(days=1, hours=k)
        c2 = _suspect(doctor, clinic, next(people), when)
        with _at(when + dt.timedelta(hours=2)):
            investigation.set_setting(doctor, c2, c.setting)
        _confirm(doctor, c2, when + dt.timedelta(hours=1), f"D{code}-C{k}")
        n += 1
    return n


def _died(county: _County) -> None:
    doctor, wd, clinic, hospital = county.doctor, county.wd, county.clinic, county.hospital
    people, base, code = county.people, county.base, county.code
    c = _suspect(doctor, clinic, next(people), base + dt.timedelta(days=2))
    c = _confirm(doctor, c, base + dt.timedelta(days=2, hours=1), f"D{code}-M", "critical")
    _admit(doctor, c, hospital, base + dt.timedelta(days=2, hours=6), "icu")
    with _at(base + dt.timedelta(days=6)):
        care.record_death(wd, c, cause="重型肺炎合并多器官功能衰竭")
