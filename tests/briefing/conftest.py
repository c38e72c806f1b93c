"""Fixtures for briefing tests: a replayable clock and confirmed cases placed by hand."""

import datetime as dt

import pytest

from tests.kit import TZ, at  # noqa: F401  (their tests import them from here)

DAY0 = dt.date(2020, 2, 10)


@pytest.fixture
def facility(db, node):
    from fangkong.clinical.models import Facility

    return Facility.objects.create(
        name="市人民医院发热门诊", kind="fever_clinic", node=node("330602")
    )


@pytest.fixture
def add_case(facility, make_person):
    """add_case(confirmed_at, node_code=GRID_A, status="confirmed") → a stored Case."""
    from fangkong.clinical.models import Case
    from fangkong.geo.models import Division
    from tests.conftest import GRID_A

    counter = {"n": 0}

    def make(confirmed_at, node_code=GRID_A, status="confirmed", **extra):
        counter["n"] += 1
        grid = Division.objects.get(code=node_code)
        person = make_person(f"病例{counter['n']}", node_code)
        return Case.objects.create(
            number=f"C{counter['n']:05d}",
            person=person,
            facility=facility,
            path=grid.path,
            county=grid.path.split("/")[1],
            status=status,
            diagnosed_at=confirmed_at,
            confirmed_at=confirmed_at if status == "confirmed" else None,
            **extra,
        )

    return make


@pytest.fixture(scope="session")
def cjk_fonts():
    """The PDF needs a CJK font (Debian fonts-noto-cjk; the Makefile's system-deps too)."""
    import subprocess
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "scripts" / "apt-install-if-missing"
    font = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
    subprocess.run([str(script), font, "fonts-noto-cjk"], check=True)
    return font
