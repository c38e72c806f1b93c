"""The seeded rule sets carry their basis in Chinese (their notes were seeded half in
English and showed as such in the Chinese briefing's risk map and on the rules pages)."""

from django.db import migrations

RISK_NOTES = {
    "浙江五色图 2020-02-09 cumulative; weights and cut-offs: platform defaults (assumption)": (
        "浙江五色图（2020-02-09 起按累计确诊）；权重与分界值为平台默认（假设）"
    ),
    "浙江五色图 2020-02-12 last week's cases; weights and cut-offs: platform defaults "
    "(assumption)": "浙江五色图（2020-02-12 起按近一周确诊）；权重与分界值为平台默认（假设）",
}
BRIEFING_NOTES = {"platform defaults (docs/analytics.md)": "平台默认（依据见分析方法说明）"}


def _swap(apps, pairs: dict[str, str], model: str, back: bool) -> None:
    rules = apps.get_model("briefing", model)
    for english, chinese in pairs.items():
        old, new = (chinese, english) if back else (english, chinese)
        rules.objects.filter(note=old).update(note=new)


def translate(apps, schema_editor):  # type: ignore[no-untyped-def]
    _swap(apps, RISK_NOTES, "RiskRules", back=False)
    _swap(apps, BRIEFING_NOTES, "BriefingRules", back=False)


def untranslate(apps, schema_editor):  # type: ignore[no-untyped-def]
    _swap(apps, RISK_NOTES, "RiskRules", back=True)
    _swap(apps, BRIEFING_NOTES, "BriefingRules", back=True)


class Migration(migrations.Migration):
    dependencies = [("briefing", "0007_facts_changed")]
    operations = [migrations.RunPython(translate, untranslate)]
