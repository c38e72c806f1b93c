"""The audit log reads in the reader's language: reads are named by their stored key,
list reads by their row count, changes by field labels and choice labels."""

import pytest
from django.utils import translation

from fangkong.core import audit
from tests.ui.text import untranslated

pytestmark = pytest.mark.django_db


def test_bulk_read_and_reveal_read_in_chinese(make_user, make_person):
    user = make_user("city_hq", "3306")
    person = make_person()
    bulk = audit.record_bulk_read(user, "people.Person", {"q": ""}, 17)
    export = audit.record_export(user, "people.Person", {}, 3)
    reveal = audit.record_access(user, person, "reveal:id_number")
    seen = audit.record_access(user, person, "health code")
    with translation.override("zh-hans"):
        texts = [audit.describe(e) + " " + audit.record_label(e) for e in (bulk, export, reveal)]
        texts.append(audit.describe(seen))
        texts += [audit.action_label(e) for e in (bulk, reveal)]
    assert "17" in texts[0] and "3" in texts[1]
    assert all(untranslated(t.split("#")[0]) == [] for t in texts), texts
    with translation.override("en"):
        assert audit.describe(bulk) == "read a list of 17 rows"
        assert audit.describe(export) == "exported a list of 3 rows"


def test_a_change_shows_field_and_choice_labels(make_person):
    from auditlog.models import LogEntry

    from fangkong.people.choices import Sex

    person = make_person()
    person.sex = Sex.FEMALE if person.sex != Sex.FEMALE else Sex.MALE
    person.save()
    entry = LogEntry.objects.get_for_object(person).order_by("-pk").first()
    assert entry is not None and "sex" in entry.changes_dict
    with translation.override("zh-hans"):
        text = audit.describe(entry)
    assert "性别" in text and str(Sex(person.sex).label) != person.sex
    with translation.override("zh-hans"):
        assert str(Sex(person.sex).label) in text
    assert "sex" not in text


def _entry(model_label: str, changes: dict):
    """An entry as auditlog stores it (not saved: describe reads only what it holds)."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    app, model = model_label.split(".")
    return LogEntry(
        content_type=ContentType.objects.get(app_label=app, model=model),
        object_pk="1",
        action=LogEntry.Action.CREATE,
        changes=changes,
    )


def test_a_new_record_reads_as_its_readers_know_it(make_person):
    """A created person: the place by its path, the creation time in the city's time, no
    internal column and no list of other records pointing at it, no English word."""
    from auditlog.models import LogEntry

    person = make_person("林秀英")
    entry = LogEntry.objects.get_for_object(person).order_by("pk").first()
    assert entry is not None and "absorbed" in entry.changes_dict  # auditlog lists it
    with translation.override("zh-hans"):
        text = audit.describe(entry)
    assert "越城区 › 塔山街道 › 花园社区 › 第1网格" in text
    assert "absorbed" not in text and "people.Person.None" not in text
    assert "path" not in text and "_index" not in text
    assert untranslated(text) == [], text


def test_steps_references_lists_and_times_are_labelled(make_user):
    from fangkong.supervision.choices import Topic

    cadre = make_user("county_hq", "330602", display_name="越城区指挥部 吴明")
    entry = _entry(
        "supervision.inspectionplan",
        {
            "created_by": [None, str(cadre.pk)],
            "created_at": [None, "2026-12-07 19:50:16.053724"],
            "topics": [None, '["screening", "supplies"]'],
        },
    )
    with translation.override("zh-hans"):
        text = audit.describe(entry)
        topics = f"{Topic('screening').label}、{Topic('supplies').label}"
    assert "创建人: — → 越城区指挥部 吴明" in text
    assert "创建时间: — → 2026-12-08 03:50" in text  # 19:50 UTC is 03:50 in Shaoxing
    assert topics in text and "screening" not in text
    assert untranslated(text) == [], text


def test_a_change_of_members_names_the_operation_and_the_members():
    entry = _entry(
        "supervision.inspectionteam",
        {"members": {"type": "m2m", "operation": "add", "objects": ["王秀英", "李明"]}},
    )
    with translation.override("zh-hans"):
        text = audit.describe(entry)
    assert text.endswith("添加 王秀英、李明") and "operation" not in text and "type" not in text
