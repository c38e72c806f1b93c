"""core.overlap: a chunk stored on the writer thread (own connection, in order, one in
flight) sees the caller's language, time zone and frozen clock; its error reaches the
caller; inside a transaction everything runs on the caller's connection."""

import datetime as dt
import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone, translation

from fangkong.core import clock, overlap

AT = dt.datetime(2020, 2, 10, 9, 30, tzinfo=dt.UTC)


def _seen() -> tuple:
    return (
        threading.get_ident(),
        clock.now(),
        translation.get_language(),
        timezone.get_current_timezone_name(),
    )


@pytest.mark.django_db(transaction=True)
def test_the_writer_thread_takes_the_callers_context_in_order():
    seen: list[tuple] = []
    with (
        clock.frozen(AT),
        translation.override("zh-hans"),
        timezone.override("Asia/Shanghai"),
        overlap.Writer() as writer,
    ):
        for n in range(3):
            writer.submit(lambda n=n: (n, *_seen()), then=seen.append)
    assert writer.overlapped == (connection.vendor == "postgresql")
    assert [s[0] for s in seen] == [0, 1, 2]
    assert {s[2:] for s in seen} == {(AT, "zh-hans", "Asia/Shanghai")}
    on_caller = {s[1] for s in seen} == {threading.get_ident()}
    assert on_caller != writer.overlapped


@pytest.mark.django_db(transaction=True)
def test_a_failed_chunk_reaches_the_caller_and_stops_the_writer():
    def fail() -> None:
        raise RuntimeError("disk full")

    done: list[int] = []
    with pytest.raises(RuntimeError, match="disk full"), overlap.Writer() as writer:
        writer.submit(fail)
        writer.submit(lambda: 2, then=done.append)  # overlapped: the first one's error here
        writer.submit(lambda: 3, then=done.append)
    assert done == []  # nothing after the failed chunk was stored


@pytest.mark.django_db
def test_inside_a_transaction_the_caller_stores_every_chunk():
    with transaction.atomic(), overlap.Writer() as writer:
        got: list[int] = []
        writer.submit(threading.get_ident, then=got.append)
    assert not writer.overlapped and got == [threading.get_ident()]
