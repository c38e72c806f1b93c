from auditlog.models import LogEntry
from django.urls import reverse

from fangkong.people import actions
from tests.conftest import GRID_A, GRID_Z, YUECHENG, ZHUJI


def test_healthz(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["database"] is True


def test_audit_log_is_for_discipline_and_admins_only(client, make_user):
    client.force_login(make_user("city_hq", "3306"))
    assert client.get(reverse("audit")).status_code == 403
    client.force_login(make_user("discipline", "3306"))
    assert client.get(reverse("audit")).status_code == 200


def test_audit_log_filters_by_person_and_user_within_scope(client, make_user, make_person):
    viewer = make_user("grid_worker", GRID_A, username="viewer")
    mine = make_person("甲", node_code=GRID_A, phone="13800001111")
    far = make_person("乙", node_code=GRID_Z)
    actions.reveal(viewer, mine, "phone")
    actions.record_view(make_user("city_hq", "3306"), far)
    client.force_login(make_user("discipline", YUECHENG))
    entries = client.get(reverse("audit")).context["entries"]
    pks = {e.object_pk for e in entries}
    assert str(mine.pk) in pks and str(far.pk) not in pks
    # the person is picked by name (no record number typed); 乙 is outside Yuecheng
    response = client.get(reverse("audit"), {"person": "甲"})
    by_person = response.context["entries"]
    assert by_person and all(e.object_pk == str(mine.pk) for e in by_person)
    assert f'data-total="{by_person.total}"' in response.content.decode()
    assert not client.get(reverse("audit"), {"person": "乙"}).context["entries"]
    by_user = client.get(reverse("audit"), {"user": "viewer"}).context["entries"]
    assert [e.changes_text for e in by_user] == ["reveal:phone"]
    client.force_login(make_user("discipline", ZHUJI))
    assert str(mine.pk) not in {
        e.object_pk for e in client.get(reverse("audit")).context["entries"]
    }


def test_audit_entries_cannot_be_edited(db, make_person, make_user):
    import pytest
    from django.db import DatabaseError, transaction

    person = make_person("甲", node_code=GRID_A)
    actions.record_view(make_user("city_hq", "3306"), person)
    entry = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).get()
    with pytest.raises(DatabaseError), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).update(changes_text="nothing to see")
