"""Mobilisation figures in the daily briefing and prefilled in a report upward whose
fields name them; the demo step."""

import datetime as dt

import pytest
from django.urls import reverse

from fangkong.mobilisation.actions import rosters
from tests.conftest import HUAYUAN, YUECHENG
from tests.mobilisation.conftest import NOW, shifts_of

pytestmark = pytest.mark.django_db


def test_briefing_has_a_mobilisation_section(staff, checkpoint, make_member, node):
    from fangkong.briefing.compute import compute

    m = make_member()
    make_member(phone="13700000011", confirmed=False)
    rosters.assign(staff, shifts_of(checkpoint)[0], m)
    b = compute(node(YUECHENG), NOW.date())
    assert "mobilisation" in b.data["sections"]
    mob = b.data["mobilisation"]
    assert mob["registered_confirmed"] == 1 and mob["registered_pending"] == 1
    assert mob["shifts_today"] == 3 and mob["places_filled"] == 1


def test_briefing_page_shows_the_section(client, city_hq, staff, checkpoint, make_member, node):
    from fangkong.briefing.compute import compute

    rosters.assign(staff, shifts_of(checkpoint)[0], make_member())
    compute(node("3306"), NOW.date())
    client.force_login(city_hq)
    r = client.get(
        reverse("briefing:detail", args=["3306", NOW.date().isoformat()]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert r.status_code == 200
    assert (
        "Party organisations mobilised" in r.text
        or "members registered at their community" in r.text
    )


def test_report_upward_is_prefilled_with_the_figures(client, make_user, make_member, node):
    from fangkong.command.models import ReportTemplate

    hq = make_user("county_hq", YUECHENG)
    make_member()
    make_member(phone="13700000012")
    t = ReportTemplate.objects.create(
        node=node(YUECHENG),
        name="党员干部下沉日报",
        level="village",
        deadline_time=dt.time(17),
        fields=["已在居住地社区报到人数", "Shifts today", "其他数字"],
        starts_on=NOW.date() - dt.timedelta(days=3),
        created_by=hq,
    )
    village = make_user("village_staff", HUAYUAN)
    client.force_login(village)
    r = client.get(reverse("command:report", args=[t.pk]))
    assert r.status_code == 200
    form = r.context["form"]
    assert form is not None
    assert form.initial["f0"] == 2 and form.initial["f1"] == 0 and "f2" not in form.initial


def test_demo_step_is_idempotent(node):
    from fangkong.mobilisation import demo
    from fangkong.mobilisation.models import Assignment, Member, PartyOrganisation, Registration

    line = demo.run(7, members=60, villages=3, days=2)
    assert "60 members" in line
    assert PartyOrganisation.objects.count() == 1 + 5 + 3
    assert Member.objects.count() == 60
    assert Registration.objects.filter(status="confirmed").count() > 40
    assert Assignment.objects.count() > 20
    again = demo.run(7, members=60, villages=3, days=2)
    assert "already present" in again and Member.objects.count() == 60
