"""Issue #16, M8: a superuser account follows the role table like everyone else. A
system administrator (`sysadmin`, flagged superuser and staff as the demo makes it)
manages accounts but reveals no ID or phone and reads no care or mobilisation personal
record, on pages, in the API and in Django's admin. Only the platform itself — an
in-memory superuser that is no stored account — passes every grant."""

import datetime as dt

import pytest
from django.urls import reverse

from fangkong.accounts.models import User
from fangkong.core import audit, clock
from fangkong.core.querysets import allows, can_access
from fangkong.people.models import Person
from tests.conftest import HUAYUAN
from tests.idnumbers import rid

pytestmark = pytest.mark.django_db
API = "/api/v1"
PHONE = "13957512345"


def bearer(user):
    from fangkong.accounts.models import ApiToken

    raw = ApiToken.new_raw()
    ApiToken.objects.create(
        user=user, digest=ApiToken.hash(raw), expires_at=clock.now() + dt.timedelta(days=30)
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}", "HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def admin(make_user):
    """The city's system administrator, a Django superuser and staff member."""
    return make_user("sysadmin", "3306", is_superuser=True, is_staff=True)


@pytest.fixture
def person(make_person):
    return make_person(
        "陈晓燕",
        id_number=rid("330602", dt.date(1986, 4, 12), 27),
        phone=PHONE,
        address="越城区塔山街道花园社区府山横街12号",
    )


@pytest.fixture
def difficulty(make_user):
    from fangkong.care import actions

    staff = make_user("village_staff", HUAYUAN)
    return actions.report_difficulty(
        staff,
        phone="13812340001",
        reporter_name="王芳",
        category="medical",
        description="母亲需要长期配药，家里无人去医院",
        node=staff.node,
    )


@pytest.fixture
def member(node):
    from fangkong.mobilisation.actions import members

    system = User(is_superuser=True, is_active=True)
    return members.save_member(
        system, None, {"name": "陶然", "phone": "13511112222"}, node=node(HUAYUAN)
    )


def test_only_an_unsaved_superuser_is_the_system(admin):
    from fangkong.core.querysets import is_system, system_actor

    assert is_system(User(is_superuser=True, is_active=True))
    actor = system_actor()  # the one spelling the platform's own work uses
    assert is_system(actor) and actor.pk is None and actor.is_authenticated
    assert not is_system(admin)
    assert not is_system(User(is_active=True, role="sysadmin"))


def test_superuser_account_has_only_its_roles_grants(admin, make_user):
    from fangkong.care.models import Difficulty
    from fangkong.mobilisation.models import Member

    assert allows(admin, User, "add") and allows(admin, User, "change")
    assert not allows(admin, Person, "reveal")
    assert not allows(admin, Difficulty, "view")
    assert not allows(admin, Member, "view")
    worker = make_user("grid_worker", "330602001004G01", is_superuser=True)
    assert not allows(worker, User, "view")
    assert not worker.may("accounts.user", "add")


def test_superuser_account_sees_only_its_own_subtree(make_user, make_person):
    make_person("赵磊")
    make_person("钱丽", node_code="330681001001G01")
    zhuji_admin = make_user("sysadmin", "330681", is_superuser=True)
    names = set(Person.objects.restrict(zhuji_admin, "view").values_list("name", flat=True))
    assert names == {"钱丽"}
    nowhere = make_user("sysadmin", None, is_superuser=True)
    assert not Person.objects.restrict(nowhere, "view").exists()


def test_system_actor_still_reaches_everything(person, difficulty):
    from fangkong.care.models import Difficulty

    system = User(is_superuser=True, is_active=True)
    assert can_access(system, person, "reveal")
    assert Difficulty.objects.restrict(system, "reveal").filter(pk=difficulty.pk).exists()


def test_superuser_reveals_no_id_or_phone(client, admin, person):
    client.force_login(admin)
    for field in ("id_number", "phone"):
        r = client.post(reverse("people:reveal", args=[person.pk, field]))
        assert r.status_code in (403, 404), (field, r.status_code)
        r = client.post(f"{API}/persons/{person.pk}/reveal/{field}", **bearer(admin))
        assert r.status_code in (403, 404), (field, r.status_code)
    page = client.get(reverse("people:detail", args=[person.pk]))
    assert page.status_code == 200  # the role views the registry, masked
    body = page.content.decode()
    assert person.reveal("id_number") not in body and PHONE not in body


def test_superuser_reads_no_care_record(client, admin, difficulty):
    client.force_login(admin)
    url = reverse("care:difficulty", args=[difficulty.pk])
    assert client.get(url).status_code in (403, 404)
    assert client.post(url, {"verb": "reveal"}).status_code in (403, 404)
    listing = client.get(reverse("care:difficulties"))
    assert listing.status_code == 403 or not list(listing.context["items"])
    h = bearer(admin)
    assert client.get(f"{API}/care/difficulties/{difficulty.pk}", **h).status_code in (403, 404)
    r = client.get(f"{API}/care/difficulties", **h)
    assert r.status_code == 403 or r.json()["count"] == 0


def test_superuser_reads_no_mobilisation_member(client, admin, member):
    client.force_login(admin)
    url = reverse("mobilisation:member", args=[member.pk])
    assert client.get(url).status_code in (403, 404)
    assert client.post(url, {"reveal": "phone"}).status_code in (403, 404)
    listing = client.get(reverse("mobilisation:members"))
    assert listing.status_code == 403 or "陶然" not in listing.content.decode()
    h = bearer(admin)
    assert client.get(f"{API}/mobilisation/members/{member.pk}", **h).status_code in (403, 404)
    r = client.get(f"{API}/mobilisation/members", **h)
    assert r.status_code == 403 or r.json()["count"] == 0


def test_admin_site_follows_the_role_table(client, admin, difficulty, member):
    client.force_login(admin)
    assert client.get("/admin/accounts/user/").status_code == 200
    assert client.get("/admin/accounts/user/add/").status_code == 200
    assert client.get("/admin/care/difficulty/").status_code == 403
    assert client.get(f"/admin/care/difficulty/{difficulty.pk}/change/").status_code == 403
    assert client.get("/admin/people/person/add/").status_code == 200  # sysadmin may add
    index = client.get("/admin/").content.decode()
    assert "/admin/care/difficulty/" not in index  # care's rule sets only, as granted
    assert "/admin/care/carerules/" in index


def test_audit_log_of_a_superuser_is_scoped_by_its_role_and_node(make_user, person):
    from auditlog.models import LogEntry

    village = make_user("village_staff", HUAYUAN)
    audit.record_access(village, person, "view")
    assert LogEntry.objects.filter(changes_text="view").exists()
    worker_su = make_user("grid_worker", "330602001004G01", is_superuser=True)
    assert not audit.entries_for(worker_su).exists()  # the role reads no audit log
    zhuji_admin = make_user("sysadmin", "330681", is_superuser=True)
    assert not audit.entries_for(zhuji_admin).filter(changes_text="view").exists()
    city_admin = make_user("sysadmin", "3306", is_superuser=True)
    assert audit.entries_for(city_admin).filter(changes_text="view").exists()


def test_admin_lists_only_the_accounts_node(client, make_user, make_person):
    from auditlog.models import LogEntry

    yuecheng = make_person("孙伟")
    zhuji = make_person("周敏", node_code="330681001001G01")
    for p in (yuecheng, zhuji):
        audit.record_access(make_user("village_staff", HUAYUAN), p, "view")
    admin = make_user("sysadmin", "330681", is_superuser=True, is_staff=True)
    client.force_login(admin)
    listing = client.get("/admin/people/person/")
    assert listing.status_code == 200
    assert [p.pk for p in listing.context["cl"].result_list] == [zhuji.pk]
    assert client.get(f"/admin/people/person/{yuecheng.pk}/change/").status_code == 302
    log = client.get("/admin/auditlog/logentry/")
    assert log.status_code == 200
    seen = {e.object_pk for e in log.context["cl"].result_list}
    assert str(zhuji.pk) in seen and str(yuecheng.pk) not in seen
    assert LogEntry.objects.filter(object_pk=str(yuecheng.pk)).exists()
    accounts = client.get("/admin/accounts/user/").context["cl"].result_list
    assert {u.node.code[:6] for u in accounts} == {"330681"}
