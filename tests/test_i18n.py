"""The Simplified Chinese catalogue is complete: every app's every message translated."""

from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[1] / "fangkong"
APPS_WITH_TEXT = sorted(p.parent for p in ROOT.glob("*/apps.py"))


@pytest.mark.parametrize("app", APPS_WITH_TEXT, ids=lambda p: p.name)
def test_every_message_has_a_chinese_translation(app):
    sources = [
        p for p in app.rglob("*") if p.suffix in {".py", ".html"} and "migrations" not in p.parts
    ]
    uses_i18n = any(
        marker in p.read_text(encoding="utf-8")
        for p in sources
        for marker in ("gettext", "{% translate", "{% blocktranslate")
    )
    if not uses_i18n:
        return
    po_path = app / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    assert po_path.exists(), f"{app.name} has user-facing text but no zh_Hans catalogue"
    po = polib.pofile(str(po_path))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"untranslated in {app.name}: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy in {app.name}: {fuzzy[:10]}"


def test_chinese_is_the_default_language(client, db):
    response = client.get("/accounts/login/")
    assert "登录防控平台" in response.content.decode()
