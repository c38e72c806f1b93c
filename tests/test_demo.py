import re

from django.core.management import call_command

from fangkong.accounts.models import User
from fangkong.accounts.roles import Role
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
