import re

from django.core.management import call_command

from fangkong.accounts.models import User
from fangkong.accounts.roles import Role
from fangkong.core.querysets import system_actor
from fangkong.geo.models import Division
from fangkong.people.models import Household, Person


def test_demo_builds_grids_accounts_and_population_and_reuses_them(db, monkeypatch, capsys):
    monkeypatch.setenv("FANGKONG_DEMO_PASSWORD", "demo-pass-2020")
    Division.objects.filter(level="grid").delete()
    call_command("demo", persons=3000, seed=3, core_only=True)
    out = capsys.readouterr().out
    registered = int(re.search(r"persons: (\d+) registered, 0 rejected", out).group(1))
    twins = Person.objects.filter(tags="待核重")
    assert registered == 3000 + twins.count() and twins.exists()
    twin = twins.first()
    assert Person.objects.with_phone(twin.reveal("phone")).filter(name=twin.name).count() == 2
    grids_per_village = {}
    for parent in Division.objects.filter(level="grid").values_list("parent__code", flat=True):
        grids_per_village[parent] = grids_per_village.get(parent, 0) + 1
    assert len(grids_per_village) == 2168
    assert set(grids_per_village.values()) <= set(range(3, 9))
    assert {u.role for u in User.objects.all()} == set(Role.values)
    worker = User.objects.get(username="grid_worker")
    assert worker.check_password("demo-pass-2020")
    # every demo account shows a name in Chinese, never its login name
    assert all(re.search(r"[\u4e00-\u9fff]", str(u)) for u in User.objects.all())
    assert Household.objects.count() > 50
    person = Person.objects.exclude(id_masked="").first()
    assert person.address.startswith("绍兴市")
    assert person.node.name in person.address or person.node.parent.name in person.address
    call_command("demo", persons=3000, seed=3, core_only=True)
    assert Person.objects.count() == registered
    assert "already present" in capsys.readouterr().out


def test_demo_declarations_in_the_grid_workers_grid_show_on_its_page(db, client, monkeypatch):
    """The demo's self-declarations (#17): residents of the demo grid worker's grid, with
    symptoms, a stay in Wuhan, a son applying for his father, and some contradicting the
    stored facts, which the grid worker's declarations page lists and flags."""
    from django.urls import reverse

    from fangkong.core import demo_steps
    from fangkong.selfservice.models import Declaration

    monkeypatch.setenv("FANGKONG_DEMO_PASSWORD", "demo-pass-2020")
    call_command("demo", persons=600, seed=3, core_only=True)
    call_command("demo_observation", periods=40, seed=3)
    _one_observed_resident_with_an_id()
    step = dict(demo_steps.steps())["selfservice"]
    assert "contradicting stored facts" in step(3)
    worker = User.objects.get(username="grid_worker")
    made = Declaration.objects.under(worker.node.path)
    assert made.count() >= 8
    assert made.filter(new_person=True).exists() and made.exclude(relation="self").exists()
    assert made.exclude(symptoms=[]).count() >= 2 and made.exclude(stays=[]).exists()
    contradicting = made.contradicting()
    assert contradicting.count() >= 3
    assert all(re.search(r"[\u4e00-\u9fff]", d.person.name) for d in made)
    assert "kept" in step(3) and Declaration.objects.count() == made.count()  # idempotent

    client.force_login(worker)
    page = client.get(reverse("selfservice:declarations")).content.decode()
    assert all(d.person.name in page for d in made)
    flagged = client.get(reverse("selfservice:declarations"), {"contradicting": "1"})
    text = flagged.content.decode()
    assert all(d.person.name in text for d in contradicting)
    assert "咳嗽" in page and "武汉" in page
    # Each row says what was declared, parts joined, or that nothing unusual was.
    assert "申报内容" in page and "<td> · " not in page
    assert ("无异常" in page) == made.filter(stays=[], symptoms=[], case_contact=False).exists()


def _one_observed_resident_with_an_id():
    """The full demo's grid holds registered residents under observation; this small one's
    observed persons were added without an ID (a self-declaration matches by the ID)."""
    import datetime as dt

    from fangkong.core import clock
    from fangkong.observation import actions
    from fangkong.people.actions import register_person
    from tests.idnumbers import rid

    system = system_actor()
    grid = User.objects.get(username="grid_worker").node
    person, _similar = register_person(
        system,
        {"name": "钱志强", "id_number": rid("330602", dt.date(1980, 6, 1)), "node_code": grid.code},
        confirm_similar=True,
    )
    actions.start_period(system, person, reason="close_contact", last_exposure=clock.today())
