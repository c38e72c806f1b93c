"""The Simplified Chinese catalogue is complete: every message in every app's code and
templates, extracted afresh (not only what the committed catalogue happens to list),
has a translation that is not fuzzy."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[1] / "fangkong"
APPS = sorted(p.parent for p in ROOT.glob("*/apps.py"))
MARKERS = ("gettext", "{% translate", "{% blocktranslate")


def uses_i18n(app: Path) -> bool:
    return any(
        marker in p.read_text(encoding="utf-8")
        for p in app.rglob("*")
        if p.suffix in {".py", ".html"} and "migrations" not in p.parts
        for marker in MARKERS
    )


def extracted_catalogue(app: Path, workdir: Path) -> polib.POFile:
    """Run makemessages on a copy of the app, so the committed files stay untouched;
    existing translations are merged into the fresh extraction."""
    copy = workdir / app.name
    shutil.copytree(app, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "zh_Hans", "-v", "0"],
        cwd=copy,
        env=env,
        check=True,
    )
    return polib.pofile(str(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("app", APPS, ids=lambda p: p.name)
def test_every_message_has_a_chinese_translation(app, tmp_path):
    if not uses_i18n(app):
        return
    committed = app / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    assert committed.exists(), f"{app.name} has user-facing text but no zh_Hans catalogue"
    po = extracted_catalogue(app, tmp_path)
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"untranslated in {app.name}: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy in {app.name}: {fuzzy[:10]}"


def test_chinese_is_the_default_language(client, db):
    response = client.get("/accounts/login/")
    assert "登录防控平台" in response.content.decode()


def test_one_meaning_per_message_across_catalogues():
    """Django merges every app's catalogue into one, where the app listed first wins: a
    (context, msgid) translated two ways would show another app's word on a page. A word
    that means different things carries a message context (docs/glossary.md)."""
    seen: dict[tuple[str | None, str], dict[str, list[str]]] = {}
    for app in APPS:
        path = app / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
        if not path.exists():
            continue
        for entry in polib.pofile(str(path)):
            if entry.obsolete or entry.msgid_plural or not entry.msgstr:
                continue
            key = (entry.msgctxt, entry.msgid)
            seen.setdefault(key, {}).setdefault(entry.msgstr, []).append(app.name)
    differ = {key: found for key, found in seen.items() if len(found) > 1}
    assert not differ, f"{len(differ)} messages translated differently: {list(differ.items())[:5]}"


def test_our_catalogue_is_what_the_running_site_says():
    """Django merges every installed app's catalogue and the first app listed wins: when
    a library's catalogue also translates one of our messages (the admin says 过滤器 for
    "Filter", 页面没有找到 for "Page not found"), ours must be the one users read."""
    from django.utils import translation

    shadowed = []
    with translation.override("zh-hans"):
        for app in APPS:
            po = app / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
            if not po.exists():
                continue
            for e in polib.pofile(str(po)):
                if not e.msgstr or e.msgid_plural or e.obsolete or "fuzzy" in e.flags:
                    continue
                said = (
                    translation.pgettext(e.msgctxt, e.msgid)
                    if e.msgctxt
                    else translation.gettext(e.msgid)
                )
                if said != e.msgstr:
                    shadowed.append(f"{app.name}: {e.msgid!r} → {said!r}, not {e.msgstr!r}")
    assert not shadowed, "\n".join(shadowed)
