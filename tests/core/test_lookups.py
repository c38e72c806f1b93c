"""`field__any`: the same rows as `field__in`; on PostgreSQL one array parameter."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fangkong.people.models import Person
from tests import kit

pytestmark = pytest.mark.django_db


def test_any_finds_what_in_finds():
    a, b, c = (kit.person(i) for i in range(3))
    wanted = [a.pk, c.pk, a.pk, None, 10**12]
    assert set(Person.objects.filter(pk__any=wanted).values_list("pk", flat=True)) == {
        a.pk,
        c.pk,
    }
    assert set(Person.objects.filter(pk__any=wanted)) == set(Person.objects.filter(pk__in=wanted))
    names = [a.name, "无此人"]
    assert list(Person.objects.filter(name__any=names)) == [a]
    assert b not in Person.objects.filter(pk__any=wanted)


def test_empty_or_only_none_matches_nothing_without_a_query():
    kit.person()
    with CaptureQueriesContext(connection) as q:
        assert list(Person.objects.filter(pk__any=[])) == []
        assert list(Person.objects.filter(pk__any=[None])) == []
    assert len(q.captured_queries) == 0


def test_a_subquery_still_works():
    a = kit.person()
    inner = Person.objects.filter(name=a.name).values("pk")
    assert list(Person.objects.filter(pk__any=inner)) == [a]


def test_postgresql_sends_one_array_however_long_the_list():
    kit.person()
    with CaptureQueriesContext(connection) as q:
        list(Person.objects.filter(pk__any=list(range(1, 2001))))
    sql = q.captured_queries[0]["sql"]
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql and " IN (" not in sql
    else:
        assert " IN (" in sql


def test_a_relation_takes_primary_keys():
    from fangkong.screening.models import ScreeningSubject

    task = kit.screening_task()
    subject = ScreeningSubject.objects.get(pk=task.subject_id)
    found = ScreeningSubject.objects.filter(person_id__any=[subject.person_id, 10**12])
    assert list(found) == [subject]
    assert list(ScreeningSubject.objects.filter(person__any=[subject.person_id])) == [subject]


def test_values_of_another_type_are_prepared_as_in_prepares_them():
    a = kit.person()
    assert list(Person.objects.filter(pk__any=[str(a.pk)])) == [a]
    assert list(Person.objects.filter(pk__any=(a.pk, a.pk))) == [a]
    assert list(Person.objects.filter(name__any={a.name})) == [a]
    assert list(Person.objects.filter(pk__any=[a.pk, True])) == list(
        Person.objects.filter(pk__in=[a.pk, True])
    )


def test_plain_values_go_into_the_array_as_they_are_once_each():
    a = kit.person()
    query = Person.objects.filter(pk__any=[a.pk, a.pk, 10**12]).query
    _sql, params = query.get_compiler(connection=connection).as_sql()
    if connection.vendor == "postgresql":  # one text the server splits
        assert f"{a.pk},{10**12}" in params and "string_to_array" in _sql
    else:
        assert list(params).count(a.pk) == 1


def test_texts_with_a_comma_or_empty_are_sent_as_an_array_and_found():
    """The comma-joined text says the same as the array only when no key holds a comma
    and none is empty; otherwise the keys go as an array, and every lookup finds what
    `__in` finds."""
    a = kit.person(1, address="花园小区,1幢")
    b = kit.person(2, address="塔山街道")
    for given in (["花园小区,1幢", "塔山街道"], ["花园小区", "1幢"], ["", "塔山街道"], [""]):
        assert set(Person.objects.filter(address__any=given)) == set(
            Person.objects.filter(address__in=given)
        )
    assert set(Person.objects.filter(address__any={"塔山街道", "无"})) == {b}
    given = ["花园小区,1幢", "塔山街道"]
    sql, params = (
        Person.objects.filter(address__any=given).query.get_compiler(connection=connection).as_sql()
    )
    if connection.vendor == "postgresql":
        assert "string_to_array" not in sql
        assert given in [list(p) for p in params if isinstance(p, list)]
    assert set(Person.objects.filter(address__any=given)) == {a, b}
