"""An unannounced inspection (暗访) is invisible to the inspected node and its subtree
until it is recorded — in lists, details, API, counts, figures and home cards — while
the inspecting team and the levels above see it from planning."""

import pytest

from fangkong.supervision import actions, metrics
from fangkong.supervision.models import EvidencePhoto, Finding, Inspection
from tests import kit
from tests.conftest import GRID_A, HUAYUAN, YUECHENG
from tests.supervision.test_photos import png


@pytest.fixture
def hidden(inspector, schedule, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    insp = schedule("unannounced")
    f = actions.add_finding(inspector, insp, description="台账缺失", topic="screening")
    actions.add_photo(inspector, f, png())
    actions.record_results(inspector, insp, [("screening", 0, "fail", "")])
    return insp


def _visible(user, insp):
    return Inspection.objects.restrict(user).filter(pk=insp.pk).exists()


def test_inspected_node_does_not_see_it_until_recorded(hidden, village_staff, inspector):
    assert not _visible(village_staff, hidden)
    assert not Finding.objects.restrict(village_staff).exists()
    assert not EvidencePhoto.objects.restrict(village_staff).exists()
    assert not hidden.results.model.objects.restrict(village_staff).exists()
    actions.record_inspection(inspector, hidden, "done")
    assert _visible(village_staff, hidden)
    assert Finding.objects.restrict(village_staff).count() == 1
    assert EvidencePhoto.objects.restrict(village_staff).count() == 1


def test_team_and_levels_above_see_it(hidden, inspector, teammate, county_hq, town_hq):
    for user in (inspector, teammate, county_hq, town_hq):
        assert _visible(user, hidden), user
        assert Finding.objects.restrict(user).count() == 1


def test_open_inspection_is_visible_from_planning(schedule, village_staff):
    insp = schedule("open")
    assert _visible(village_staff, insp)


def test_subtree_of_inspected_node_does_not_see_it(schedule, inspector, grid_worker):
    insp = schedule("unannounced", code=GRID_A)
    assert not _visible(grid_worker, insp)
    actions.record_inspection(inspector, insp)
    assert _visible(grid_worker, insp)


def city_inspects(city_discipline, code):
    """The city's five-day plan on screening from DAY0: an unannounced inspection of
    `code` on its first day."""
    from tests.supervision.conftest import DAY0

    return kit.scheduled_inspection(
        city_discipline,
        "3306",
        code,
        "unannounced",
        starts_on=DAY0,
        days=5,
        topics=("screening",),
        title="市督查",
        name="一组",
    )


def test_inspected_county_does_not_see_it(make_user, node, frozen):
    """The city inspects a county unannounced: the county's own headquarters and
    discipline office (not on the team) see nothing; the city does."""

    city_discipline = make_user("discipline", "3306")
    insp = city_inspects(city_discipline, YUECHENG)
    county_hq = make_user("county_hq", YUECHENG)
    county_discipline = make_user("discipline", YUECHENG)
    village = make_user("village_staff", HUAYUAN)
    for user in (county_hq, county_discipline, village):
        assert not _visible(user, insp), user
    assert _visible(city_discipline, insp)


def test_api_pages_and_figures_do_not_leak_it(hidden, village_staff, client, auth, node):
    h = auth(village_staff)
    assert client.get("/api/v1/supervision/inspections", **h).json()["count"] == 0
    assert client.get(f"/api/v1/supervision/inspections/{hidden.pk}", **h).status_code == 404
    finding = hidden.findings.get()
    photo = finding.photos.get()
    assert client.get(f"/api/v1/supervision/photos/{photo.pk}", **h).status_code == 404
    rows = client.get("/api/v1/supervision/figures", **h).json()
    assert all(r["inspections_unannounced"] == 0 and r["findings"] == 0 for r in rows)
    client.force_login(village_staff)
    assert client.get(f"/supervision/inspections/{hidden.pk}/").status_code == 404
    assert client.get(f"/supervision/photos/{photo.pk}/").status_code == 404
    page = client.get("/supervision/inspections/").content.decode()
    assert f"/supervision/inspections/{hidden.pk}/" not in page
    home = client.get("/").content.decode()
    assert "台账缺失" not in home
    assert metrics.open_tasks_count(village_staff) == 0
    post = client.post(f"/supervision/findings/{finding.pk}/photos/", {"photo": png()})
    assert post.status_code == 404


def test_recorded_unannounced_counts_in_figures(hidden, inspector, village_staff, node):
    actions.record_inspection(inspector, hidden)
    total = metrics.per_level(village_staff, node(HUAYUAN))[-1]
    assert total["inspections_unannounced"] == 1 and total["findings"] == 1


def test_audit_log_does_not_reveal_it(make_user, node, frozen):
    """A county discipline office reads the audit of its county; the city's unannounced
    inspection of that county is placed at the city in the audit log."""

    from auditlog.models import LogEntry

    from fangkong.core.audit import entries_for

    city_discipline = make_user("discipline", "3306")
    insp = city_inspects(city_discipline, HUAYUAN)
    actions.add_finding(city_discipline, insp, description="暗访发现")
    assert LogEntry.objects.filter(object_repr__contains="暗访发现").exists()
    county_discipline = make_user("discipline", YUECHENG)
    seen = entries_for(county_discipline)
    assert not seen.filter(object_pk=str(insp.pk), content_type__model="inspection").exists()
    assert not seen.filter(object_repr__contains="暗访发现").exists()
    assert entries_for(city_discipline).filter(object_repr__contains="暗访发现").exists()
