"""A division is named on pages by where it sits, not by its code: every village has a
第1网格, and nobody at a gate or a village office knows 330602001004G01."""

import pytest
from django.template import Context, Template

from fangkong.geo.models import Division
from tests.conftest import GRID_A, HUAYUAN

pytestmark = pytest.mark.django_db


def test_a_grid_is_named_by_its_path_from_the_county(tree):
    grid = Division.objects.get(code=GRID_A)
    shown = Template("{% load fangkong %}{{ grid|place }}").render(Context({"grid": grid}))
    names = [d.name for d in grid.ancestors() if d.level not in ("province", "city")]
    assert shown == " › ".join([*names, grid.name])
    assert shown.startswith("越城区 › ") and shown.endswith(f" › {grid.name}")
    assert GRID_A not in shown


def test_a_list_of_divisions_is_named_in_two_queries(tree, django_assert_num_queries):
    nodes = list(Division.objects.filter(code__startswith=HUAYUAN).order_by("code"))
    template = Template(
        "{% load fangkong %}{% places rows as where %}{% for n in rows %}{{ where|get_item:n.code }};{% endfor %}"
    )
    with django_assert_num_queries(2):
        shown = template.render(Context({"rows": nodes})).split(";")[:-1]
    assert len(shown) == len(nodes) > 1
    assert all(s.split(" › ")[-1] == n.name for s, n in zip(shown, nodes, strict=True))
