import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from fangkong.core import clock
from fangkong.public import returns, rules
from fangkong.public.models import Enterprise, WorkApplication
from tests.conftest import GRID_A, HUAYUAN, TASHAN
from tests.public.conftest import DAY0, at

D = dt.date


@pytest.mark.parametrize(
    "employees,declared,resume,today,ok",
    [
        (3, 3, D(2020, 2, 13), D(2020, 2, 10), True),  # exactly 3 days ahead
        (3, 3, D(2020, 2, 20), D(2020, 2, 10), True),
        (3, 3, D(2020, 2, 12), D(2020, 2, 10), False),  # 2 days: too late
        (3, 3, D(2020, 2, 10), D(2020, 2, 10), False),  # same day
        (3, 2, D(2020, 2, 20), D(2020, 2, 10), False),  # one not declared
        (0, 0, D(2020, 2, 20), D(2020, 2, 10), False),  # empty list
        (3, 2, D(2020, 2, 11), D(2020, 2, 10), False),  # both wrong
    ],
)
def test_r17_submission(employees, declared, resume, today, ok):
    check = rules.r17_submission(employees, declared, resume, today, 3)
    assert check.ok is ok
    if employees and declared < employees and (resume - today).days < 3:
        assert len(check.reasons) == 2


@pytest.mark.parametrize(
    "size,level",
    [(1, "town"), (100, "town"), (101, "county"), (500, "county"), (501, "city")],
)
def test_r17_approval_level_by_size(size, level):
    assert rules.approval_level(size, 100, 500) == level


@pytest.mark.parametrize(
    "user_level,required,ok",
    [
        ("town", "town", True),
        ("county", "town", True),
        ("town", "county", False),
        ("county", "city", False),
        ("city", "city", True),
        ("village", "town", False),
    ],
)
def test_r17_approver_level(user_level, required, ok):
    assert rules.may_approve_at(user_level, required) is ok


def _apply(user, node, n=3, resume=DAY0 + dt.timedelta(days=5), code="91330602MA2BXXXX1A"):
    return returns.apply_to_resume(
        user,
        node(HUAYUAN),
        "越城纺织有限公司",
        code,
        "王经理",
        "一、体温检测……",
        resume,
        [{"name": f"员工{i}", "phone": f"1391111{i:04d}"} for i in range(n)],
    )


def _declare_all(app):
    for e in app.employees.all():
        returns.declare_health(e.token, 36.5, False, False, "green")


@pytest.mark.django_db
def test_application_flow_declare_submit_approve_publish(village_staff, town_hq, node):
    with clock.frozen(at(DAY0, 9)):
        app = _apply(village_staff, node)
        assert app.approval_level == "town" and not app.inspection_required
        with pytest.raises(ValidationError) as exc:
            returns.submit_application(village_staff, app)
        assert "3" in str(exc.value)
        _declare_all(app)
        returns.submit_application(village_staff, app)
        with pytest.raises(PermissionDenied):
            returns.decide_application(village_staff, app, True)
        returns.decide_application(town_hq, app, True, "同意")
        batch = returns.publish_batch(town_hq, node(TASHAN))
    app.refresh_from_db()
    assert app.status == "approved" and app.batch == batch and batch.number == 1


@pytest.mark.django_db
def test_late_application_refused_even_with_all_declared(village_staff, node):
    with clock.frozen(at(DAY0, 9)):
        app = _apply(village_staff, node, resume=DAY0 + dt.timedelta(days=2))
        _declare_all(app)
        with pytest.raises(ValidationError) as exc:
            returns.submit_application(village_staff, app)
    assert "resume_date" in exc.value.message_dict
    assert WorkApplication.objects.get().status == "draft"


@pytest.mark.django_db
def test_large_company_needs_inspection_and_county_and_whitelist_goes_first(
    village_staff, town_hq, county_hq, node
):
    Enterprise.objects.create(credit_code="91330602MA2ESSEN1A", name="口罩厂")
    from fangkong.public.models import PublicRules

    PublicRules.objects.create(effective_from=DAY0, rtw_town_max=2, rtw_inspection_from=3)
    with clock.frozen(at(DAY0, 9)):
        big = _apply(village_staff, node, n=3)
        small = _apply(village_staff, node, n=1, code="91330602MA2ESSEN1A")
        _declare_all(big)
        _declare_all(small)
        returns.submit_application(village_staff, big)
        returns.submit_application(village_staff, small)
        assert list(WorkApplication.objects.restrict(county_hq).queue()) == [small, big]
        assert big.approval_level == "county" and big.inspection_required
        with pytest.raises(PermissionDenied):
            returns.decide_application(town_hq, big, True)
        with pytest.raises(ValidationError):
            returns.decide_application(county_hq, big, True)
        returns.record_inspection(village_staff, big, True, "测温点、隔离室到位")
        returns.decide_application(county_hq, big, True)
    assert WorkApplication.objects.get(pk=big.pk).status == "approved"


@pytest.mark.django_db
def test_declaration_phone_form_and_application_pages(client, login, village_staff, zhuji_hq, node):
    with clock.frozen(at(DAY0, 9)):
        app = _apply(village_staff, node, n=1)
    e = app.employees.get()
    r = client.post(
        reverse("public:declare", args=[e.token]), {"temperature": "36.6", "health_code": "green"}
    )
    assert r.status_code == 200 and "已申报" in r.content.decode()
    assert client.get(reverse("public:declare", args=["nope"])).status_code == 404
    c = login(village_staff)
    page = c.get(reverse("public:application", args=[app.pk])).content.decode()
    assert "越城纺织" in page and "139****0000" in page and "13911110000" not in page
    # The approval level by its name, not the stored value (审批层级 town).
    assert app.approval_level == "town" and "乡镇（街道）" in page and " town" not in page
    with clock.frozen(at(DAY0, 9)):
        assert (
            c.post(reverse("public:application", args=[app.pk]), {"submit": "1"}).status_code == 302
        )
    queue = c.get(reverse("public:applications")).content.decode()  # submitted: in the queue
    assert ">乡镇（街道）</td>" in queue and ">town</td>" not in queue
    o = login(zhuji_hq)
    assert o.get(reverse("public:application", args=[app.pk])).status_code == 404
    assert o.post(reverse("public:application", args=[app.pk]), {"submit": "1"}).status_code == 404
    assert "越城纺织" not in o.get(reverse("public:applications")).content.decode()


@pytest.mark.django_db
def test_application_form_page(login, village_staff):
    c = login(village_staff)
    with clock.frozen(at(DAY0, 9)):
        r = c.post(
            reverse("public:applications"),
            {
                "node_code": HUAYUAN,
                "company": "华园超市",
                "credit_code": "91330602MA2CCCCC1A",
                "contact_name": "李",
                "resume_date": "2020-02-20",
                "contingency_plan": "预案",
                "employees": "张三,13900001111\n李四,13900002222",
            },
        )
    assert r.status_code == 302
    assert WorkApplication.objects.get().employees.count() == 2


@pytest.mark.django_db
def test_school_plan_checklist_and_approval(login, village_staff, county_hq, zhuji_hq, node):
    data = dict(
        school="塔山小学",
        return_date=DAY0 + dt.timedelta(days=14),
        classes=12,
        students=480,
        staff=40,
        staff_declared=38,
        students_declared=400,
        contingency_plan="预案",
        checklist=["plan", "masks"],
    )
    plan = returns.file_school_plan(village_staff, node(HUAYUAN), **data)
    with pytest.raises(ValidationError) as exc:
        returns.decide_school_plan(county_hq, plan, True)
    assert "2" in str(exc.value)
    plan.checklist = [
        c for c, _ in __import__("fangkong.public.choices", fromlist=["x"]).SchoolCheck.choices
    ]
    plan.staff_declared = 40
    plan.save()
    returns.decide_school_plan(county_hq, plan, True)
    assert plan.status == "approved"
    assert login(zhuji_hq).get(reverse("public:school", args=[plan.pk])).status_code == 404
    assert login(village_staff).get(reverse("public:schools")).status_code == 200


@pytest.mark.django_db
def test_gatherings_reported_handled_followed_up(client, login, village_staff, zhuji_hq, node):
    r = client.post(
        reverse("public:report_gathering"),
        {
            "node_code": HUAYUAN,
            "kind": "wedding",
            "source": "inspection",
            "planned_on": "2020-02-14",
            "organiser": "陈先生",
            "phone": "13700001111",
            "venue": "华园酒店",
            "guests": "120",
        },
    )
    assert r.status_code == 200 and "已报备" in r.content.decode()
    from fangkong.public.models import Gathering

    g = Gathering.objects.get()
    assert g.source == "reported" and g.under_ban and g.phone_masked == "137****1111"
    found = returns.report_gathering(
        village_staff,
        node(GRID_A),
        kind="funeral",
        source="inspection",
        planned_on=DAY0,
        organiser="某户",
        venue="自家院子",
        guests=40,
    )
    assert found.source == "inspection"
    with pytest.raises(ValidationError):
        returns.follow_up_gathering(village_staff, g, "已回访")
    c = login(village_staff)
    assert (
        c.post(reverse("public:gathering", args=[g.pk]), {"handling": "postponed"}).status_code
        == 302
    )
    assert (
        c.post(
            reverse("public:gathering", args=[g.pk]), {"follow_up": "已延期至疫情后"}
        ).status_code
        == 302
    )
    g.refresh_from_db()
    assert g.handling == "postponed" and g.followed_up_at is not None
    o = login(zhuji_hq)
    assert o.get(reverse("public:gathering", args=[g.pk])).status_code == 404
    assert (
        o.post(reverse("public:gathering", args=[g.pk]), {"handling": "cancelled"}).status_code
        == 404
    )
    assert "华园酒店" not in o.get(reverse("public:gatherings")).content.decode()


@pytest.mark.django_db
def test_declaration_takes_the_platform_health_code_where_it_exists(
    village_staff, node, make_person
):
    from fangkong.healthcode.models import HealthCode

    person = make_person("黄蓉", node_code=GRID_A, phone="13911110000")
    HealthCode.objects.create(person=person, colour="yellow", since=DAY0, path=person.path)
    with clock.frozen(at(DAY0, 9)):
        app = _apply(village_staff, node, n=2)
    first, second = app.employees.order_by("pk")
    assert returns.declare_health(first.token, 36.5, False, False, "green").health_code == "yellow"
    assert returns.declare_health(second.token, 36.5, False, False, "green").health_code == "green"


@pytest.mark.django_db
def test_employee_with_a_bad_phone_is_named(village_staff, node):
    with pytest.raises(ValidationError) as exc:
        returns.apply_to_resume(
            village_staff,
            node(HUAYUAN),
            "某厂",
            "91330602MA2FFFFF1A",
            "联系人",
            "预案",
            DAY0 + dt.timedelta(days=5),
            [{"name": "王五", "phone": "12345"}],
        )
    assert "王五" in str(exc.value) and not WorkApplication.objects.exists()
