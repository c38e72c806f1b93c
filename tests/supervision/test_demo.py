"""The demo step runs on the test tree, twice (idempotent), after mobilisation's."""

import pytest


@pytest.mark.django_db
def test_demo_step_is_idempotent(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    from fangkong.mobilisation import demo as mob_demo
    from fangkong.supervision.demo import seed_supervision
    from fangkong.supervision.models import (
        AccountabilityCase,
        Commendation,
        EvidencePhoto,
        Inspection,
        Rectification,
    )

    mob_demo.run(7, members=40, villages=10, days=1)
    line = seed_supervision(7)
    assert "inspections" in line, line
    assert Inspection.objects.filter(kind="unannounced", recorded_at__isnull=True).exists()
    assert Rectification.objects.filter(status="closed").exists()
    assert Rectification.objects.filter(status="open").exists()
    assert Commendation.objects.count() == 5
    assert AccountabilityCase.objects.exists()
    assert EvidencePhoto.objects.exists()
    assert "already present" in seed_supervision(7)
