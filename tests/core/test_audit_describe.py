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
