"""Tests never read or write the checkout's var/companions (issue #17): the session's
own folder stands in for it, in the settings and in the environment of any command."""

import os
from pathlib import Path

from django.conf import settings

from fangkong.companions import actions


def test_the_data_root_is_the_sessions_folder_not_the_checkouts(_companions_outside_the_checkout):
    root = actions.data_root()
    assert root == _companions_outside_the_checkout
    assert Path(os.environ["FANGKONG_COMPANIONS_DIR"]) == root
    checkout_var = Path(settings.BASE_DIR).resolve() / "var"
    assert checkout_var not in root.resolve().parents and root != settings.VAR_DIR / "companions"


def test_a_folder_in_the_checkouts_var_is_not_offered(_companions_outside_the_checkout):
    """A data set the developer keeps in var/companions is not among the page's choices."""
    assert all(
        (_companions_outside_the_checkout / name / "stays").is_dir() for name in actions.datasets()
    )
