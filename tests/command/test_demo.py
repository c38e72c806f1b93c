import pytest

from fangkong.command.demo import demo_step
from fangkong.command.models import Directive, DirectiveReceipt, Submission

pytestmark = pytest.mark.django_db


def test_demo_step_partial_acknowledgement_late_reports_idempotent(city_hq):
    line = demo_step(2020)
    assert "acknowledged" in line
    d = Directive.objects.get()
    receipts = DirectiveReceipt.objects.filter(directive=d)
    acked = receipts.filter(acknowledged_at__isnull=False).count()
    assert 0 < acked < receipts.count()
    assert receipts.filter(escalated_to__isnull=False).exists()
    assert Submission.objects.filter(on_time=False).exists()
    assert demo_step(2020) == "directives and reports already present"
    assert Directive.objects.count() == 1
