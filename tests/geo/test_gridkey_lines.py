"""Each line of a grid-key file is refused for the first thing wrong with it, naming
the field (`geo.gridkeys._problem`), and a sound line passes."""

import pytest
from django.utils import translation

from fangkong.geo import gridkeys
from fangkong.geo.choices import KeyKind

GRID = {"grid_code": "01"}


@pytest.mark.parametrize(
    ("row", "code", "kind", "text", "low", "high", "said"),
    [
        ({}, None, None, "", None, None, "grid: missing"),
        ({"grid_name": "网" * 101}, None, None, "", None, None, "grid: at most 100"),
        (GRID, "G01", None, "街" * 61, None, None, "text: at most 60"),
        ({"grid_code": "x"}, None, None, "", None, None, "grid_code: “x” is not a grid"),
        ({**GRID, "households": "十"}, "G01", None, "", None, None, "households: not a whole"),
        ({**GRID, "kind": "楼"}, "G01", None, "", None, None, "kind: “楼” is none of"),
        (GRID, "G01", KeyKind.ESTATE, "花", None, None, "text: give the name"),
        (GRID, "G01", KeyKind.STREET, "胜利路", None, None, "low: give the first house"),
        (GRID, "G01", KeyKind.GROUP, "", None, None, "low: give the first group"),
        ({**GRID, "low": "一"}, "G01", KeyKind.BUILDING, "花园", None, None, "low/high: not a"),
        (GRID, "G01", KeyKind.STREET, "胜利路", 9, 3, "high: smaller than the first"),
        (GRID, "G01", KeyKind.STREET, "胜利路", 1, 99, None),
    ],
)
def test_a_line_is_refused_for_its_first_fault(row, code, kind, text, low, high, said):
    with translation.override("en"):
        problem = gridkeys._problem(row, code, kind, text, low, high)
    assert (problem is None) if said is None else problem.startswith(said), problem
