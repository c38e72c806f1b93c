"""Seed the topic checklists and the list of accountability decisions (editable)."""

from django.db import migrations

CHECKLISTS = {
    "screening": [
        "排查名单按时全部落实到人（三清：人员清、去向清、状态清）",
        "入户排查记录完整，有排查人签字",
        "重点地区来返人员当日录入并上报",
        "排查发现异常人员当日转交观察或发热门诊",
    ],
    "observation": [
        "居家观察人员每日两次体温报告无遗漏",
        "集中观察点一人一间，管理人员防护到位",
        "观察期满解除有记录，有健康评估",
        "未报告人员当日上门核实",
    ],
    "checkpoints": [
        "卡口二十四小时有人值守，排班表在岗公示",
        "进出人员测温、查码、登记齐全",
        "值守人员防护用品配备到位",
        "外来车辆和人员劝返或登记有据可查",
    ],
    "supplies": [
        "防护物资台账账实相符",
        "物资按规定发放，有领用签字",
        "储备天数不低于规定标准",
    ],
    "clinical": [
        "发热门诊预检分诊规范，首诊负责制落实",
        "疑似病例两小时内报告",
        "采样送检记录完整",
    ],
    "public_information": [
        "疫情防控公告张贴到位，信息及时更新",
        "谣言线索及时核实处置",
        "群众咨询有人接听、有回复记录",
    ],
    "mobilisation": [
        "党员干部到居住地社区报名入列并上岗",
        "排班符合劳逸结合要求",
        "一线人员困难有人跟进解决",
        "党组织战斗堡垒作用发挥明显",
    ],
}

DECISIONS = [
    ("criticism_education", "批评教育", 10),
    ("admonishment_talk", "诫勉谈话", 20),
    ("written_inspection", "责令书面检查", 30),
    ("party_sanction", "党纪处分", 40),
    ("administrative_sanction", "政务处分", 50),
    ("dismissal", "免职", 60),
]


def seed(apps, schema_editor):
    Checklist = apps.get_model("supervision", "Checklist")
    Decision = apps.get_model("supervision", "AccountabilityDecision")
    for topic, items in CHECKLISTS.items():
        Checklist.objects.get_or_create(topic=topic, defaults={"items": items})
    for code, name, order in DECISIONS:
        Decision.objects.get_or_create(code=code, defaults={"name": name, "order": order})


def unseed(apps, schema_editor):
    apps.get_model("supervision", "Checklist").objects.filter(topic__in=list(CHECKLISTS)).delete()
    apps.get_model("supervision", "AccountabilityDecision").objects.filter(
        code__in=[c for c, _n, _o in DECISIONS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
