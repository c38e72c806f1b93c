"""A synthetic Shaoxing population for demos, tests and benchmarks.

Deterministic by seed: names drawn from common surnames and given-name characters,
valid resident IDs carrying the county code in force when the person was first
registered (so elderly Keqiao residents carry 绍兴县 330621, R21), mobile numbers,
addresses naming the real town and village, and households of 1–5 persons.
"""

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass

from stdnum.cn import ric

SURNAMES = (
    "王李张陈刘杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚"
    "邵万钱严武戴莫孔向汤俞竺裘楼屠"
)
MALE_CHARS = "伟强磊军勇杰涛明超刚平辉建国华志斌鹏飞俊峰波宇浩晨阳文博海林成东亮松健德荣永庆祥"
FEMALE_CHARS = "芳娜敏静丽艳娟霞燕玲秀英华慧巧美娅雪琳颖萍红玉兰凤洁梅琴云莉倩婷佳怡欣悦涵雨"
OCCUPATIONS = (
    "农民",
    "工人",
    "教师",
    "医生",
    "护士",
    "个体户",
    "公务员",
    "学生",
    "退休",
    "司机",
    "厨师",
    "快递员",
    "销售",
    "纺织工",
    "会计",
    "保安",
    "村干部",
    "无业",
)
MOBILE_PREFIXES = (
    "130 131 132 133 134 135 136 137 138 139 150 151 152 153 155 156 157 158 159 "
    "177 180 181 182 183 185 186 187 188 189 199"
).split()
# Origins of migrant workers: (code before the change, year of change, code after), name.
OUTSIDE_ORIGINS = (
    (("342201", 1998, "341302"), "安徽省宿州市"),
    (("362301", 2000, "361102"), "江西省上饶市"),
    (("413001", 1998, "411502"), "河南省信阳市"),
    (("420106", 0, "420106"), "湖北省武汉市武昌区"),
    (("510722", 0, "510722"), "四川省绵阳市三台县"),
)


def county_code_at(county: str, year: int) -> str:
    """The region code a resident of today's `county` got when registered in `year`."""
    if county == "330603":  # 柯桥区, before 2013 绍兴县
        return "330621" if year < 2013 else "330603"
    if county == "330604":  # 上虞区 ← 上虞市 (1992–2013) ← 上虞县
        return "330622" if year < 1992 else "330682" if year < 2013 else "330604"
    if county == "330683":  # 嵊州市 ← 嵊县
        return "330623" if year < 1995 else "330683"
    if county == "330681":  # 诸暨市 ← 诸暨县
        return "330625" if year < 1989 else "330681"
    return county


def make_id(region: str, birth: dt.date, sex: str, rng: random.Random) -> str:
    seq = rng.randrange(0, 500) * 2 + (1 if sex == "M" else 0)
    base = f"{region}{birth:%Y%m%d}{seq:03d}"
    return base + ric.calc_check_digit(base + "0")


@dataclass
class Village:
    id: int
    code: str
    name: str
    town: str
    county_code: str
    county: str
    grid_ids: list[int]


def _birth(rng: random.Random, today: dt.date) -> dt.date:
    age = min(int(rng.triangular(0, 100, 42)), 99)
    start = dt.date(today.year - age - 1, today.month, 1) + dt.timedelta(days=rng.randrange(0, 360))
    return min(start, today - dt.timedelta(days=1))


def _address(rng: random.Random, v: Village) -> str:
    place = f"绍兴市{v.county}{v.town}{v.name}"
    if v.name.endswith("社区"):
        return f"{place}{rng.randint(1, 40)}幢{rng.randint(1, 4)}单元{rng.randint(1, 18)}{rng.randint(1, 4):02d}室"
    return f"{place}{rng.randint(1, 320)}号"


def population(villages: list[Village], n: int, seed: int, today: dt.date) -> Iterator[dict]:
    """Yield n person rows grouped in households (all members share address and grid)."""
    rng = random.Random(seed)
    made = 0
    household_no = 0
    while made < n:
        v = villages[rng.randrange(len(villages))]
        grid = v.grid_ids[rng.randrange(len(v.grid_ids))] if v.grid_ids else v.id
        size = min(rng.choice((1, 2, 2, 3, 3, 3, 4, 4, 5)), n - made)
        household_no += 1
        address = _address(rng, v)
        surname = rng.choice(SURNAMES)
        outsider = rng.random() < 0.12
        origin, origin_name = rng.choice(OUTSIDE_ORIGINS) if outsider else (None, None)
        for member in range(size):
            sex = rng.choice("MF")
            chars = MALE_CHARS if sex == "M" else FEMALE_CHARS
            given = "".join(rng.choice(chars) for _ in range(rng.choice((1, 2, 2))))
            name = (surname if member == 0 or rng.random() < 0.6 else rng.choice(SURNAMES)) + given
            birth = _birth(rng, today)
            registered = max(birth.year, 1985)
            if origin:
                region = origin[0] if registered < origin[1] else origin[2]
            else:
                region = county_code_at(v.county_code, registered)
            age = today.year - birth.year
            tags = []
            if outsider:
                tags.append("外来务工" if age >= 16 else "随迁子女")
                if origin and origin[2] == "420106":
                    tags.append("湖北返绍")
            if age >= 80 and size == 1:
                tags.append("独居老人")
            yield {
                "name": name,
                "sex": sex,
                "id_number": make_id(region, birth, sex, rng) if rng.random() < 0.97 else "",
                "phone": (rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}")
                if age >= 12
                else "",
                "birth_date": birth,
                "address": address,
                "node_id": grid,
                "household_number": f"H{v.code}{household_no:06d}",
                "registered_residence": origin_name or f"浙江省绍兴市{v.county}{v.town}",
                "occupation": "学生"
                if 6 <= age < 19
                else "退休"
                if age >= 62
                else rng.choice(OCCUPATIONS),
                "workplace": "",
                "tags": ",".join(tags),
            }
            made += 1
