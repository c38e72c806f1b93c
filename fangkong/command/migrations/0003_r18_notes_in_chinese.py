"""The seeded R18 response levels carry their basis in the words of the Zhejiang notices
(the notes were seeded in English and showed as such on Chinese pages)."""

from django.db import migrations

NOTES = {
    "Zhejiang Level I response, 2020-01-23": "浙江省启动重大突发公共卫生事件一级响应（2020-01-23）",
    "Zhejiang lowered to Level II, 2020-03-02": "浙江省调整为二级响应（2020-03-02）",
    "Zhejiang lowered to Level III, 2020-03-23": "浙江省调整为三级响应（2020-03-23）",
}


def translate(apps, schema_editor):  # type: ignore[no-untyped-def]
    ResponseLevel = apps.get_model("command", "ResponseLevel")
    for english, chinese in NOTES.items():
        ResponseLevel.objects.filter(note=english).update(note=chinese)


def untranslate(apps, schema_editor):  # type: ignore[no-untyped-def]
    ResponseLevel = apps.get_model("command", "ResponseLevel")
    for english, chinese in NOTES.items():
        ResponseLevel.objects.filter(note=chinese).update(note=english)


class Migration(migrations.Migration):
    dependencies = [("command", "0002_r18_response_levels")]
    operations = [migrations.RunPython(translate, untranslate)]
