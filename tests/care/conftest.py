"""Fixtures for care tests: accounts in Yuecheng and in Zhuji (the outsider), a clock,
API tokens, a cleared cache and SMS outbox, members, photos and a code reader."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import HUAYUAN, YUECHENG, ZHUJI, ZHUJI_VILLAGE

TZ = ZoneInfo("Asia/Shanghai")
T0 = dt.datetime(2020, 2, 10, 9, 0, tzinfo=TZ)
PHONE = "13912345678"


@pytest.fixture(autouse=True)
def fresh_cache(settings, tmp_path):
    from django.core.cache import cache

    from fangkong.core.sms import OutboxGateway

    settings.VAR_DIR = tmp_path
    cache.clear()
    OutboxGateway.outbox.clear()
    yield
    cache.clear()


def ensure_categories() -> None:
    """The seeded categories, again if a transactional test (browser) flushed them."""
    import importlib

    from fangkong.care.models import Category

    seeded = importlib.import_module("fangkong.care.migrations.0002_defaults").CATEGORIES
    for order, (code, name) in enumerate(seeded):
        Category.objects.get_or_create(code=code, defaults={"name": name, "order": order})


@pytest.fixture(autouse=True)
def categories(request):
    if "db" in request.fixturenames or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
        ensure_categories()


def code_for(phone: str) -> str:
    from fangkong.core import otp_codes
    from fangkong.core.sms import OutboxGateway

    otp_codes.send(phone)
    return OutboxGateway.last_to(phone).text.split("是")[1][:6]


@pytest.fixture
def staff(make_user):
    return make_user("village_staff", HUAYUAN)


@pytest.fixture
def org(make_user):
    return make_user("organisation", YUECHENG)


@pytest.fixture
def outsider(make_user):
    return make_user("county_hq", ZHUJI)


@pytest.fixture
def outsider_staff(make_user):
    return make_user("village_staff", ZHUJI_VILLAGE)


@pytest.fixture
def make_member(db, node):
    """A member registered at a community, phone protected as mobilisation does."""
    from fangkong.core import crypto
    from fangkong.mobilisation.models import Member
    from fangkong.mobilisation.querysets import phone_index
    from fangkong.people.rules import mask_phone

    def make(name="李明", phone="13700000001", code=HUAYUAN):
        community = node(code)
        return Member.objects.create(
            name=name,
            phone_enc=crypto.encrypt(phone, "member.phone"),
            phone_index=phone_index(phone),
            phone_masked=mask_phone(phone),
            is_party_member=True,
            community=community,
            path=community.path,
        )

    return make


@pytest.fixture
def make_org(db, node):
    from fangkong.mobilisation.models import PartyOrganisation

    def make(name="华园社区党支部", code=HUAYUAN):
        return PartyOrganisation.objects.create(name=name, kind="branch", node=node(code))

    return make


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (40, 30)) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, fmt)
    return buf.getvalue()


def upload(name: str = "a.png", data: bytes | None = None, content_type: str = "image/png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, image_bytes() if data is None else data, content_type)


def reported(staff, category: str = "medical", description: str = "需要配药帮助"):
    """A difficulty of 王芳 (PHONE) the community's `staff` reported."""
    from tests import kit

    return kit.difficulty(
        phone=PHONE, by=staff, reporter_name="王芳", category=category, description=description
    )
