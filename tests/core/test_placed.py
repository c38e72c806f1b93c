"""Where a record sits: `core.models.Placed`/`NodeScoped` copy the path in one place,
for `save()` and for bulk writers (`place_all`); `under()` reads a subtree."""

import inspect

from django.apps import apps

from fangkong.core.models import Placed
from fangkong.observation.models import QuarantineSite, Room
from fangkong.people.models import Household
from tests.conftest import GRID_A, GRID_C, HUAYUAN, TASHAN


def test_save_copies_the_node_path(node):
    household = Household.objects.create(number="H-1", address="1 号", node=node(GRID_A))
    assert household.path == node(GRID_A).path
    household.node = node(GRID_C)
    household.save()
    household.refresh_from_db()
    assert household.path == node(GRID_C).path


def test_bulk_writers_place_through_place_all(node):
    site = QuarantineSite.objects.create(name="某酒店", address="某路 1 号", node=node(HUAYUAN))
    rooms = Room.place_all(Room(site=site, number=str(n), capacity=1) for n in (101, 102))
    Room.objects.bulk_create(rooms)
    assert set(Room.objects.filter(site=site).values_list("path", flat=True)) == {site.path}


def test_under_takes_a_path_or_a_node(node):
    for number, grid in (("H-A", GRID_A), ("H-C", GRID_C)):
        Household.objects.create(number=number, address="1 号", node=node(grid))
    by_path = set(Household.objects.under(node(TASHAN).path).values_list("number", flat=True))
    by_node = set(Household.objects.under(node(TASHAN)).values_list("number", flat=True))
    assert by_path == by_node == {"H-A"}


def test_no_model_copies_a_path_in_its_own_save():
    """The one place is `Placed.place`: a placed model names what it is placed by."""
    for model in apps.get_models():
        if model.__module__.startswith("fangkong.") and "save" in vars(model):
            assert "self.path = " not in inspect.getsource(vars(model)["save"]), model
        if issubclass(model, Placed):
            source = model.placed_by
            assert hasattr(model, source), (model, source)
