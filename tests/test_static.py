"""Every static file a template names exists where the finders look (the stylesheet once
sat in a folder no finder read, and every page went out unstyled), and the server
serves the stylesheet."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

ROOT = Path(__file__).resolve().parents[1] / "fangkong"
STATIC_TAG = re.compile(r"""\{%\s*static\s+['"]([^'"]+)['"]""")


def referenced() -> list[str]:
    return sorted(
        {name for t in ROOT.rglob("*.html") for name in STATIC_TAG.findall(t.read_text("utf-8"))}
    )


@pytest.mark.parametrize("name", referenced())
def test_static_file_is_found(name):
    assert finders.find(name), f"{name} is named in a template but no finder has it"


def test_the_stylesheet_is_served(client, db):
    response = client.get("/static/fangkong/app.css")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"header.top" in body
