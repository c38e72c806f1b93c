import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from fangkong.core import crypto
from fangkong.people import actions
from fangkong.people.models import Person
from tests.conftest import GRID_A, GRID_B, GRID_Z
from tests.idnumbers import rid

ID = rid("330602", "1950-03-08")


def test_register_encrypts_indexes_and_masks(make_user):
    user = make_user("village_staff", "330602001004")
    person, similar = actions.register_person(
        user, {"name": "王秀英", "node_code": GRID_A, "id_number": ID, "phone": "13812345678"}
    )
    assert similar == []
    stored = Person.objects.get(pk=person.pk)
    assert stored.id_masked == ID[:6] + "********" + ID[-4:]
    assert stored.phone_masked == "138****5678"
    assert ID.encode() not in bytes(stored.id_number_enc)
    assert stored.reveal("id_number") == ID
    assert stored.birth_date.isoformat() == "1950-03-08"
    assert stored.sex == "M"
    assert stored.name_initials == "wxy"
    assert stored.path.endswith(f"/{GRID_A}/")
    assert Person.objects.with_resident_id(ID.lower()).get() == stored
    assert Person.objects.with_phone("138-1234-5678").get() == stored
    assert stored.id_number_index == crypto.blind_index(ID, "person.id_number")


def test_every_bad_field_is_named_and_nothing_is_written(make_user):
    user = make_user("village_staff", "330602001004")
    with pytest.raises(ValidationError) as err:
        actions.register_person(
            user,
            {
                "name": "",
                "node_code": "999",
                "id_number": ID[:-1] + ("0" if ID[-1] != "0" else "1"),
                "phone": "12345",
                "birth_date": "2999-01-01",
            },
        )
    assert set(err.value.message_dict) == {"name", "node_code", "id_number", "phone", "birth_date"}
    assert "check digit" in err.value.message_dict["id_number"][0]
    assert Person.objects.count() == 0


def test_a_node_outside_the_users_area_is_unknown(make_user):
    user = make_user("grid_worker", GRID_A)
    with pytest.raises(ValidationError) as err:
        actions.register_person(user, {"name": "李四", "node_code": GRID_Z})
    assert "outside your area" in err.value.message_dict["node_code"][0]


def test_same_resident_id_is_refused_with_the_existing_person(make_person, make_user):
    first = make_person("王秀英", id_number=ID)
    with pytest.raises(actions.DuplicatePerson) as err:
        actions.register_person(
            make_user("city_hq", "3306"), {"name": "王秀英", "node_code": GRID_B, "id_number": ID}
        )
    assert err.value.existing == first
    assert Person.objects.count() == 1


def test_same_name_and_phone_warns_until_confirmed(make_person, make_user):
    make_person("陈刚", phone="13912345678")
    user = make_user("city_hq", "3306")
    data = {"name": "陈刚", "node_code": GRID_B, "phone": "13912345678"}
    person, similar = actions.register_person(user, data)
    assert person.pk is None and len(similar) == 1
    person, similar = actions.register_person(user, data, confirm_similar=True)
    assert person.pk is not None
    assert Person.objects.count() == 2


def test_update_detects_a_concurrent_edit(make_person, make_user):
    person = make_person("赵敏")
    user = make_user("city_hq", "3306")
    actions.update_person(user, person, {"occupation": "教师"}, version=1)
    with pytest.raises(actions.StaleEdit):
        actions.update_person(user, person, {"occupation": "医生"}, version=1)
    assert Person.objects.get(pk=person.pk).occupation == "教师"


def test_update_keeps_protected_values_not_sent(make_person, make_user):
    person = make_person("赵敏", id_number=ID, phone="13712345678")
    user = make_user("city_hq", "3306")
    updated = actions.update_person(user, person, {"address": "新地址"}, version=1)
    assert updated.reveal("id_number") == ID and updated.reveal("phone") == "13712345678"
    cleared = actions.update_person(user, person, {"phone": ""}, version=2)
    assert cleared.phone_masked == "" and cleared.phone_enc is None


def test_reveal_is_audited_and_needs_permission(make_person, make_user):
    person = make_person("孙丽", phone="13612345678")
    grid_worker = make_user("grid_worker", GRID_A)
    assert actions.reveal(grid_worker, person, "phone") == "13612345678"
    entry = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).get()
    assert entry.actor == grid_worker and entry.changes_text == "reveal:phone"
    assert "13612345678" not in str(entry.changes) + entry.changes_text + str(entry.additional_data)
    with pytest.raises(PermissionError):
        actions.reveal(make_user("supplies", "3306"), person, "phone")
    with pytest.raises(PermissionError):
        actions.reveal(make_user("grid_worker", GRID_B), person, "phone")


def test_changes_are_audited_without_secret_values(make_person, make_user):
    person = make_person("周杰", phone="13512345678")
    actions.update_person(make_user("city_hq", "3306"), person, {"occupation": "司机"}, version=1)
    entries = LogEntry.objects.get_for_object(person)
    assert entries.filter(action=LogEntry.Action.CREATE).exists()
    update = entries.get(action=LogEntry.Action.UPDATE)
    assert update.changes_dict["occupation"] == ["", "司机"]
    assert all("13512345678" not in str(e.changes) for e in entries)


def test_merge_fills_gaps_keeps_both_records_and_history(make_person, make_user):
    survivor = make_person("吴芳", phone="13312345678", tags="党员")
    absorbed = make_person(
        "吴芳", id_number=rid("330602", "1960-02-02", 124), occupation="农民", tags="独居老人"
    )
    user = make_user("village_staff", "330602001004")
    merged = actions.merge_persons(user, survivor, absorbed)
    assert merged.reveal("id_number") == absorbed.reveal("id_number")
    assert merged.occupation == "农民"
    assert merged.tag_list == ["党员", "独居老人"]
    absorbed.refresh_from_db()
    assert absorbed.merged_into == merged
    assert list(Person.objects.active()) == [merged]
    with pytest.raises(ValidationError):
        actions.merge_persons(user, merged, absorbed)


def test_merge_refuses_two_different_ids(make_person, make_user):
    a = make_person("吴芳", id_number=rid("330602", "1960-02-02", 124))
    b = make_person("吴芳", id_number=rid("330602", "1960-02-02", 126))
    with pytest.raises(ValidationError, match="different resident IDs"):
        actions.merge_persons(make_user("city_hq", "3306"), a, b)


def test_merge_needs_both_records_in_scope(make_person, make_user):
    a = make_person("吴芳", node_code=GRID_A)
    b = make_person("吴芳", node_code=GRID_Z)
    with pytest.raises(PermissionError):
        actions.merge_persons(make_user("village_staff", "330602001004"), a, b)
