"""The demo step of self-service: a handful of residents of the demo grid worker's grid
declare themselves for a health code (申领, one by a son for his father: 代领), with
symptoms, a stay in Wuhan, and some declarations that contradict the stored facts
(under observation, a fever reported, another address, another name), so that the
declarations page has something to review. They go through the application's own
action after the phone check (`actions.declare_verified`), so the contradictions and
colours are those a real application gets. Idempotent: a second run finds them."""

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError

from fangkong.accounts.demo import node_of
from fangkong.core import clock
from fangkong.core.querysets import system_actor
from fangkong.geo.models import Division
from fangkong.healthcode import facts as code_facts
from fangkong.people import synthetic
from fangkong.people.models import Person
from fangkong.selfservice import actions
from fangkong.selfservice.choices import Relation
from fangkong.selfservice.models import Declaration

WUCHANG = "420106"  # 湖北省武汉市武昌区


@dataclass
class Plan:
    """One declaration to make: about whom, and what they say beyond the defaults."""

    person: Person | None
    name: str
    say: dict[str, Any] = field(default_factory=dict)


def _with_id(persons: Any) -> Iterator[Person]:
    for person in persons.filter(id_number_enc__isnull=False).order_by("pk")[:200]:
        if person.reveal("id_number"):
            yield person


# Residents registered for the demo when the grid holds too few with a resident ID:
# (name, sex, birth date).
RESIDENTS = [
    ("陈建华", "M", dt.date(1972, 3, 8)),
    ("王秀英", "F", dt.date(1985, 11, 23)),
    ("李明", "M", dt.date(1990, 7, 2)),
    ("张丽娟", "F", dt.date(1978, 1, 15)),
    ("刘伟", "M", dt.date(2001, 9, 30)),
    ("周婷", "F", dt.date(1994, 4, 12)),
    ("孙德福", "M", dt.date(1946, 2, 5)),  # an elderly father: his son applies (代领)
]


def _register(grid: Division, rng: random.Random, who: tuple[str, str, dt.date]) -> Person:
    from fangkong.people.actions import register_person

    name, sex, birth = who
    person, _similar = register_person(
        system_actor(),
        {
            "name": name,
            "id_number": synthetic.make_id("330602", birth, sex, rng),
            "phone": f"138{rng.randrange(10**8):08d}",
            "node_code": grid.code,
            "address": f"{grid.name} {rng.randrange(1, 30)} 幢",
            "tags": "demo-selfservice",
        },
        confirm_similar=True,
    )
    return person


def _plans(grid: Division, rng: random.Random, today: dt.date) -> list[Plan]:
    residents = list(_with_id(Person.objects.active().filter(node=grid)))
    stored = code_facts.facts_for([p.pk for p in residents], today)
    # Those with a fever or symptoms reported, then the others observed or close contacts:
    # declaring nothing, each contradicts what is stored.
    fevered = [p for p in residents if stored[p.pk].abnormal_on]
    observed = [
        p
        for p in residents
        if p not in fevered and (stored[p.pk].under_observation or stored[p.pk].close_contact_on)
    ]
    plain = [p for p in residents if p not in fevered and p not in observed]
    elderly = [p for p in plain if p.birth_date and (today - p.birth_date).days > 65 * 365]
    plain = [p for p in plain if p not in elderly]
    rng.shuffle(plain)
    says: list[dict[str, Any]] = [
        {"symptoms": ["cough", "sore_throat"]},
        {"stays": [{"code": WUCHANG, "left_on": (today - dt.timedelta(days=6)).isoformat()}]},
        {"symptoms": ["fever", "fatigue"]},
        {},  # a plain declaration, nothing to see
        {"renamed": True},  # another name than the registry's: a typo in the last character
    ]
    other_grid = Division.objects.filter(parent=grid.parent).exclude(pk=grid.pk).order_by("code")
    if other_grid.exists():  # another address than the registry's
        says.append({"node_code": other_grid[0].code, "address": f"{other_grid[0].name} 5 幢"})
    for who in RESIDENTS[: max(len(says) - len(plain), 0)]:
        plain.append(_register(grid, rng, who))
    if not elderly:
        elderly.append(_register(grid, rng, RESIDENTS[-1]))
    plans: list[Plan] = []
    # Declaring nothing: "recorded as under medical observation", "fever … reported on …".
    plans += [Plan(p, p.name) for p in observed[:2] + fevered[:1]]
    # 代领: a son applies for his elderly father or mother.
    son = {"relation": Relation.CHILD, "applicant_name": "孙建国"}
    plans.append(Plan(elderly[0], elderly[0].name, son))
    for person, say in zip(plain, says, strict=False):
        said = dict(say)
        name = person.name
        if said.pop("renamed", False):
            name = name[:-1] + ("瑛" if name[-1] != "瑛" else "英")
        plans.append(Plan(person, name, said))
    plans.append(Plan(None, "赵雨涵", {"symptoms": ["fever"]}))  # new in the registry
    return plans


def _data(plan: Plan, grid: Division, rng: random.Random, today: dt.date) -> dict[str, Any]:
    person = plan.person
    if person is not None:
        number = person.reveal("id_number")
        phone = person.reveal("phone")
    else:
        birth = dt.date(1996, 5, 17)
        number = synthetic.make_id("330602", birth, "F", rng)
        phone = ""
    data: dict[str, Any] = {
        "relation": Relation.SELF,
        "name": plan.name,
        "id_number": number,
        "phone": phone or f"139{rng.randrange(10**8):08d}",
        "node_code": grid.code,
        "address": (person.address if person is not None else "") or f"{grid.name} 3 幢",
        "stays": [],
        "symptoms": [],
        "case_contact": False,
        "consent": True,
    }
    data.update(plan.say)
    return data


def declarations(seed: int) -> str:
    """The demo step: declarations in the demo grid worker's grid."""
    grid = node_of("grid_worker")
    if grid is None:
        return "no demo grid worker: skipped"
    if Declaration.objects.under(grid.path).exists():
        n = Declaration.objects.under(grid.path).count()
        return f"{n} declarations in {grid.name} present; kept"
    rng = random.Random(seed)
    today = clock.today()
    made = contradicting = skipped = 0
    for plan in _plans(grid, rng, today):
        try:
            c = actions.clean(_data(plan, grid, rng, today))
            outcome = actions.declare_verified(c, c["phone"])
        except ValidationError:  # a person the rules refuse (a proxy's age…): skipped
            skipped += 1
            continue
        made += 1
        contradicting += bool(outcome.declaration.contradictions)
    return f"{made} declarations in {grid.name}, {contradicting} contradicting stored facts" + (
        f", {skipped} refused by the rules" if skipped else ""
    )
