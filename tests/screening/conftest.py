"""Fixtures for screening: uploads kept in a temporary folder, sources, an uploader
that runs the import at once, and a task factory."""

import io

import pytest

from fangkong.core.querysets import system_actor
from tests.conftest import GRID_A


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    settings.SCREENING_UPLOAD_DIR = str(tmp_path / "uploads")
    return tmp_path / "uploads"


@pytest.fixture
def make_source(db, node):
    from fangkong.screening.models import ListSource

    def make(name="电信推送", kind="telecom", code="3306", column_map=None):
        return ListSource.objects.create(
            name=name, kind=kind, node=node(code), column_map=column_map or {}
        )

    return make


@pytest.fixture
def upload(django_capture_on_commit_callbacks):
    """Upload bytes as a file and run the import (tasks run at once in tests)."""
    from fangkong.screening import actions

    def run(user, source, data: bytes, name="list.csv"):
        with django_capture_on_commit_callbacks(execute=True):
            pushed, started = actions.upload_list(user, source, io.BytesIO(data), name)
        pushed.refresh_from_db()
        return pushed, started

    return run


@pytest.fixture
def make_task(db, make_person, node):
    """A subject with an open task at `code`, created through the pipeline's models."""
    from fangkong.core import clock
    from fangkong.screening.models import ScreeningSubject, ScreeningTask

    counter = {"n": 0}

    def make(code=GRID_A, name="王五", key_area=False, hours=24, **person):
        counter["n"] += 1
        grid = node(code)
        p = make_person(name=name, node_code=code, **person)
        subject = ScreeningSubject.objects.create(
            person=p,
            name=p.name,
            id_masked=p.id_masked,
            phone_masked=p.phone_masked,
            address=f"测试地址{counter['n']}号",
            node=grid,
            path=grid.path,
            placement="address",
            key_area=key_area,
            sources="电信推送",
        )
        import datetime as dt

        return ScreeningTask.objects.create(
            subject=subject,
            node=grid,
            path=grid.path,
            key_area=key_area,
            due_at=clock.now() + dt.timedelta(hours=hours),
        )

    return make


@pytest.fixture
def wuhan_high(db):
    """Wuhan (4201) a high-risk area from 20 November 2026 on (the test lists arrive
    from 28 November): R14's key areas are the dated risk-area list."""
    from fangkong.riskareas import actions

    hq = system_actor()
    return actions.add_area(
        hq,
        {"code": "4201", "risk": "high", "starts_on": "2026-11-20", "source": "测试用通告（2026）"},
    )
