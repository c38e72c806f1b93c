"""Delivery you can trust: stored before sent, retried with back-off, the gateway's
answer kept, never twice for one event, phones only from the encrypted fields; the
rules that decide what is sent (check-in reminders, report clocks, digests)."""

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from fangkong.core import clock
from fangkong.notify import actions, senders
from fangkong.notify.actions import Spec
from fangkong.notify.models import Delivery, Notice, NoticeRules, OutboxMessage
from fangkong.notify.sms import Answer
from tests.conftest import GRID_A, YUECHENG
from tests.notify.conftest import DAY0, at


class FlakyBackend:
    """Times out twice, then accepts."""

    calls: list[str] = []
    fail_times = 2

    def send(self, message):
        FlakyBackend.calls.append(message.key)
        if len(FlakyBackend.calls) <= FlakyBackend.fail_times:
            return Answer(False, "no answer: timed out")
        return Answer(True, "accepted 42")


@pytest.fixture
def flaky(settings):
    FlakyBackend.calls = []
    FlakyBackend.fail_times = 2
    settings.FANGKONG_SMS_BACKEND = "tests.notify.test_delivery.FlakyBackend"
    return FlakyBackend


def test_no_duplicate_sms_under_a_retried_task(grid_worker, with_phone, run_commits, outbox):
    with_phone(grid_worker, "13905751234")
    spec = Spec(
        kind="visits_today", key="visits:test:1", title="今天有12户需要上门排查", user=grid_worker
    )
    with clock.frozen(at(DAY0, 8)), run_commits():
        notice = actions.notify(spec)
        assert actions.notify(spec) is None  # same event: nothing new
    sms = Delivery.objects.get(notice=notice, channel="sms")
    assert sms.status == "sent" and sms.answer == "stored in the outbox"
    # the task is retried (the worker died after sending): the claim refuses it
    assert actions.deliver_batch([sms.pk]) == {"sent": 0, "failed": 0, "retry": 0}
    # even a delivery forced back to pending reaches the outbox once (idempotency key)
    Delivery.objects.filter(pk=sms.pk).update(status="pending")
    actions.deliver_batch([sms.pk])
    assert [m[:2] for m in outbox()] == [("13905751234", "visits_today")]
    assert OutboxMessage.objects.get().phone_masked == "139****1234"
    assert b"13905751234" not in bytes(OutboxMessage.objects.get().phone_enc)


def test_gateway_timeouts_are_retried_with_back_off_then_sent(
    flaky, grid_worker, with_phone, run_commits
):
    with_phone(grid_worker)
    with clock.frozen(at(DAY0, 8)), run_commits():
        notice = actions.notify(Spec(kind="visits_today", key="k1", title="t", user=grid_worker))
    d = Delivery.objects.get(notice=notice, channel="sms")
    assert (d.status, d.attempts, d.answer) == ("pending", 1, "no answer: timed out")
    assert d.next_attempt_at == at(DAY0, 8, 1)  # first retry after 60 s
    with clock.frozen(
        at(
            DAY0,
            8,
            0,
        )
    ):
        assert actions.deliver_due()["sent"] == 0  # not yet due
    with clock.frozen(at(DAY0, 8, 1)):
        actions.deliver_due()
    d.refresh_from_db()
    assert (d.status, d.attempts) == ("pending", 2)
    assert d.next_attempt_at == at(DAY0, 8, 3)  # doubled
    with clock.frozen(at(DAY0, 8, 3)):
        actions.deliver_due()
    d.refresh_from_db()
    assert (d.status, d.attempts, d.answer) == ("sent", 3, "accepted 42")


def test_a_gateway_that_keeps_failing_marks_the_delivery_failed(
    flaky, grid_worker, with_phone, run_commits
):
    flaky.fail_times = 99
    with_phone(grid_worker)
    NoticeRules.objects.create(effective_from=DAY0, max_attempts=3, retry_seconds=10)
    with clock.frozen(at(DAY0, 8)), run_commits():
        notice = actions.notify(Spec(kind="visits_today", key="k2", title="t", user=grid_worker))
    for minute in range(1, 5):
        with clock.frozen(at(DAY0, 8, minute)):
            actions.deliver_due()
    d = Delivery.objects.get(notice=notice, channel="sms")
    assert (d.status, d.attempts, d.answer) == ("failed", 3, "no answer: timed out")
    # the notice is not lost: still in the inbox
    assert Notice.objects.for_user(grid_worker).filter(pk=notice.pk).exists()


def test_recipient_without_phone_is_in_app_only_and_counted(grid_worker, run_commits):
    with clock.frozen(at(DAY0, 8)), run_commits():
        notice = actions.notify(Spec(kind="visits_today", key="k3", title="t", user=grid_worker))
    assert dict(Delivery.objects.filter(notice=notice).values_list("channel", "status")) == {
        "inbox": "sent",
        "sms": "failed",
    }
    assert (
        Delivery.objects.get(notice=notice, channel="sms").answer == "no mobile number: in-app only"
    )


def test_quiet_hours_defer_sms_but_not_urgent_clocks(grid_worker, with_phone, run_commits, outbox):
    with_phone(grid_worker, quiet_start="22:00", quiet_end="07:00")
    with clock.frozen(at(DAY0, 23)), run_commits():
        calm = actions.notify(
            Spec(kind="visits_today", key="k4", title="明日走访", user=grid_worker)
        )
        urgent = actions.notify(
            Spec(kind="report_clock", key="k5", title="报告即将超时", user=grid_worker)
        )
    assert [m[3].split(":")[0] for m in outbox()] == ["k5"]
    d = Delivery.objects.get(notice=calm, channel="sms")
    assert d.status == "pending" and d.next_attempt_at == at(DAY0 + dt.timedelta(days=1), 7)
    with clock.frozen(at(DAY0 + dt.timedelta(days=1), 7)):
        actions.deliver_due()
    assert [m[3].split(":")[0] for m in outbox()] == ["k5", "k4"]
    assert urgent.urgent


def test_declined_sms_is_not_sent_and_email_goes_through_django(
    grid_worker, with_phone, run_commits, mailoutbox
):
    grid_worker.email = "wang@example.cn"
    grid_worker.save()
    with_phone(grid_worker, sms=False, email=True)
    NoticeRules.objects.create(
        effective_from=DAY0, rules={"visits_today": {"channels": ["inbox", "sms", "email"]}}
    )
    with clock.frozen(at(DAY0, 8)), run_commits():
        notice = actions.notify(
            Spec(
                kind="visits_today",
                key="k6",
                title="走访",
                link="/screening/today/",
                user=grid_worker,
            )
        )
    status = dict(Delivery.objects.filter(notice=notice).values_list("channel", "status"))
    assert status == {"inbox": "sent", "sms": "skipped", "email": "sent"}
    assert mailoutbox[0].to == ["wang@example.cn"]
    assert "/screening/today/" in mailoutbox[0].body


def test_notice_follows_the_new_owner_of_the_task(make_user, with_phone, run_commits, outbox):
    from fangkong.notify.actions import OWNERS

    first = make_user("grid_worker", GRID_A)
    second = make_user("grid_worker", GRID_A)
    with_phone(first, "13905750011")
    with_phone(second, "13905750022")
    owner = {"user": first}
    OWNERS["tests.task"] = lambda pk: owner["user"]
    try:
        NoticeRules.objects.create(effective_from=DAY0, retry_seconds=1)
        with clock.frozen(at(DAY0, 23)):
            actions.save_preferences(first, {"quiet_start": "22:00", "quiet_end": "07:00"})
            notice = actions.notify(
                Spec(
                    kind="visits_today",
                    key="k7",
                    title="t",
                    user=first,
                    subject="tests.task",
                    subject_id=1,
                )
            )
        owner["user"] = second  # reassigned during the night
        with clock.frozen(at(DAY0 + dt.timedelta(days=1), 7)):
            actions.deliver_due()
    finally:
        del OWNERS["tests.task"]
    notice.refresh_from_db()
    assert notice.recipient_user == second
    assert [m[0] for m in outbox()] == ["13905750022"]


def test_http_gateway_sends_template_and_parameters(settings, grid_worker, with_phone, run_commits):
    received = []
    answers = [(500, b"{}"), (200, json.dumps({"code": "OK", "biz_id": "B1"}).encode())]

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            status, body = answers.pop(0)
            self.send_response(status)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings.FANGKONG_SMS_BACKEND = "fangkong.notify.sms.HttpBackend"
        settings.FANGKONG_SMS_HTTP = {
            "url": f"http://127.0.0.1:{server.server_port}/send",
            "sign_name": "绍兴防控",
            "templates": {"visits_today": "SMS_2001"},
            "timeout": "2",
        }
        with_phone(grid_worker, "13905759999")
        with clock.frozen(at(DAY0, 8)), run_commits():
            notice = actions.notify(
                Spec(kind="visits_today", key="k8", title="t", user=grid_worker, params={"n": 12})
            )
        d = Delivery.objects.get(notice=notice, channel="sms")
        assert (d.status, d.answer) == ("pending", "HTTP 500")
        with clock.frozen(at(DAY0, 8, 5)):
            actions.deliver_due()
        d.refresh_from_db()
        assert (d.status, d.answer) == ("sent", "accepted B1")
    finally:
        server.shutdown()
    assert received[1] == {
        "phone": "13905759999",
        "sign_name": "绍兴防控",
        "template": "SMS_2001",
        "params": {"n": 12},
        "out_id": f"k8:{grid_worker.pk}",
    }


def test_checkin_reminders_carry_the_personal_link(
    db, make_person, system_user, run_commits, outbox
):
    from fangkong.observation import actions as obs
    from fangkong.observation.links import parse_token

    with clock.frozen(at(DAY0, 7)):
        a = obs.start_period(
            system_user,
            make_person("周玉兰", phone="13905750301"),
            reason="close_contact",
            last_exposure=DAY0,
        )
        b = obs.start_period(
            system_user, make_person("吴志强"), reason="close_contact", last_exposure=DAY0
        )
        c = obs.start_period(
            system_user,
            make_person("郑美华", phone="13905750303"),
            reason="close_contact",
            last_exposure=DAY0,
        )
        obs.check_in(c, client_id="0b8e5a4c-61f2-4d7e-a3b9-5c1d2e3f4a50", temperature="36.6")
    with clock.frozen(at(DAY0, 11)), run_commits():
        assert senders.checkin_reminders(DAY0, "morning") == 2
        assert senders.checkin_reminders(DAY0, "morning") == 0
    sent = outbox()
    assert [m[0] for m in sent] == ["13905750301"]
    token = sent[0][2].split("/c/")[1].rstrip("/")
    assert parse_token(token)[0] == a.pk
    no_phone = Delivery.objects.get(notice__recipient_person=b.person)
    assert (no_phone.channel, no_phone.status) == ("sms", "failed")


def test_report_clock_warns_the_doctor_then_the_head(
    db, make_user, make_person, system_user, node, run_commits
):
    from fangkong.clinical import care
    from fangkong.clinical.actions import visits

    clinic = care.create_facility(
        system_user, name="越城区人民医院发热门诊", kind="fever_clinic", node=node(YUECHENG)
    )
    doctor = make_user("medical", YUECHENG, display_name="王医生")
    head = make_user("medical", YUECHENG, display_name="科主任")
    clinic.staff.add(doctor)
    actions.save_preferences(doctor, {})
    doctor.notify_pref.head = head
    doctor.notify_pref.save()
    with clock.frozen(at(DAY0, 9)):
        visit = visits.register_visit(
            doctor,
            clinic,
            person=make_person("陈静"),
            temperature="38.4",
            symptoms=["cough"],
            epi_items=["travel"],
            imaging_pneumonia=True,
        )
        visits.dispose(doctor, visit, "suspected")
    visit.refresh_from_db()
    case = visit.case
    assert case.report_due == at(DAY0, 11)
    with clock.frozen(at(DAY0, 10, 29)), run_commits():
        assert senders.report_clocks(clock.now()) == 0
    with clock.frozen(at(DAY0, 10, 30)), run_commits():
        assert senders.report_clocks(clock.now()) == 1
        assert senders.report_clocks(clock.now()) == 0
    warned = Notice.objects.get(kind="report_clock")
    assert warned.recipient_user == doctor and warned.deadline == at(DAY0, 11)
    assert not Notice.objects.filter(recipient_user=head).exists()
    with clock.frozen(at(DAY0, 11, 5)), run_commits():
        senders.report_clocks(clock.now())
    breached = Notice.objects.get(kind="report_clock_breached")
    assert breached.recipient_user == head
    assert case.number in breached.title
