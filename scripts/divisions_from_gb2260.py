"""Generator of the committed division files agencies/data/divisions/gb2260-{2008,2013}.csv.

It reads the GB/T 2260 codes of the 2008 and 2013 editions from the data module of the PyPI
package GB2260 0.4.1 (BSD, https://github.com/cn/GB2260.py), keeps the 31 provincial-level
divisions of mainland China and what lies under them, drops the statistical grouping rows
(市辖区, 县, 省直辖县级行政区划, 自治区直辖县级行政区划) and hangs their members on the province,
and writes each division's English name in the pinyin form of Chinese place names (pypinyin
0.55.0, MIT, plus the override table below). The provinces take their English names from
agencies/data/provinces.yaml, so the two files agree. It prints what changed from 2008 to 2013.

The portal does not import this script; a developer runs it once and commits its output. To
run it again exactly so, with the pinned versions, from the repository root:

    python3 -m venv /tmp/divvenv
    /tmp/divvenv/bin/pip install GB2260==0.4.1 pypinyin==0.55.0
    /tmp/divvenv/bin/python scripts/divisions_from_gb2260.py

(the two wheels, GB2260-0.4.1-py2.py3-none-any.whl and pypinyin-0.55.0-py2.py3-none-any.whl,
install as well offline with ``pip install --no-index <wheels>``). See
agencies/data/divisions/README.md for the source, the method and the known limits.
"""

import csv
import re
import sys
from pathlib import Path

from gb2260.data import data as GB2260_DATA
from pypinyin import Style, lazy_pinyin

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "agencies" / "data" / "divisions"
PROVINCES_YAML = ROOT / "agencies" / "data" / "provinces.yaml"
EDITIONS = (2008, 2013)
COLUMNS = ("code", "name_zh", "name_en", "level", "parent_code")

# Taiwan, Hong Kong, Macao: outside the 31 provincial-level divisions of mainland China.
EXCLUDED_PROVINCE_PREFIXES = {71, 81, 82}
# Statistical grouping rows, not divisions: their members hang on the province instead.
GROUPING_NAMES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}

# Generic parts (通名), longest first, each written as a separate capitalised word.
GENERICS = (
    ("自治州", "Zizhizhou"),
    ("自治县", "Zizhixian"),
    ("自治旗", "Zizhiqi"),
    ("自治区", "Zizhiqu"),
    ("特别区", "Tebiequ"),
    ("联合旗", "Lianheqi"),
    ("特区", "Tequ"),
    ("矿区", "Kuangqu"),
    ("新区", "Xinqu"),
    ("地区", "Diqu"),
    ("区", "Qu"),
    ("市", "Shi"),
    ("县", "Xian"),
    ("旗", "Qi"),
    ("盟", "Meng"),
    ("省", "Sheng"),
)

# The 56 ethnic groups (and 各族, "all groups", as in 隆林各族自治县), split off before the
# generic of an autonomous name and written as separate words ending in -zu.
ETHNIC_GROUPS = (
    "汉族 蒙古族 回族 藏族 维吾尔族 苗族 彝族 壮族 布依族 朝鲜族 满族 侗族 瑶族 白族 土家族 "
    "哈尼族 哈萨克族 傣族 黎族 傈僳族 佤族 畲族 高山族 拉祜族 水族 东乡族 纳西族 景颇族 "
    "柯尔克孜族 土族 达斡尔族 仫佬族 羌族 布朗族 撒拉族 毛南族 仡佬族 锡伯族 阿昌族 普米族 "
    "塔吉克族 怒族 乌孜别克族 俄罗斯族 鄂温克族 德昂族 保安族 裕固族 京族 塔塔尔族 独龙族 "
    "鄂伦春族 赫哲族 门巴族 珞巴族 基诺族 各族"
).split()
assert len(ETHNIC_GROUPS) == 57  # noqa: S101 - 56 groups and 各族

# Whole names whose English form the rules below do not give.
NAME_OVERRIDES = {
    "城区": "Chengqu",
    "郊区": "Jiaoqu",
    "矿区": "Kuangqu",
    "单县": "Shan Xian",
    "莘县": "Shen Xian",
    "蔚县": "Yu Xian",
    "黟县": "Yi Xian",
    "歙县": "She Xian",
    "浚县": "Xun Xian",
    "郫县": "Pi Xian",
    "费县": "Bi Xian",
    "长子县": "Zhangzi Xian",
    "六合区": "Luhe Qu",
    "神农架林区": "Shennongjia Linqu",  # the one 林区; 新林区 is Xinlin Qu
    # County-level codes of Hainan for the South China Sea islands (no generic part).
    "西沙群岛": "Xisha Qundao",
    "南沙群岛": "Nansha Qundao",
    "中沙群岛的岛礁及其海域": "Zhongsha Qundao de Daojiao jiqi Haiyu",
}

# Readings of characters or words in place names that pypinyin's phrase dictionary gets wrong
# (or might), as toneless syllables. The longest key that matches at a position wins.
SYLLABLE_OVERRIDES = {
    "六安": "lu an",
    "蚌埠": "beng bu",
    "丽水": "li shui",
    "番禺": "pan yu",
    "乐亭": "lao ting",
    "厦门": "xia men",
    "重庆": "chong qing",
    "长": "chang",
    "大城": "da cheng",
    "洪洞": "hong tong",
    "铅山": "yan shan",
    "尉犁": "yu li",
    "尉氏": "wei shi",
    "筠连": "jun lian",
    "台州": "tai zhou",
    "天台": "tian tai",
    "台山": "tai shan",
    "台江": "tai jiang",
    "台安": "tai an",
    "台前": "tai qian",
    "台儿庄": "tai er zhuang",
    "枞阳": "zong yang",
    "会昌": "hui chang",
    "会泽": "hui ze",
    "会理": "hui li",
    "会东": "hui dong",
    "会宁": "hui ning",
    "会同": "hui tong",
    "乐山": "le shan",
    "乐清": "yue qing",
    "乐昌": "le chang",
    "乐陵": "le ling",
    "乐平": "le ping",
    "乐东": "le dong",
    "乐业": "le ye",
    "乐至": "le zhi",
    "乐安": "le an",
    "乐都": "le du",
    "平乐": "ping le",
    "将乐": "jiang le",
    "新乐": "xin le",
    "阆中": "lang zhong",
    "荥阳": "xing yang",
    "荥经": "ying jing",
    "东阿": "dong e",
    "牟平": "mu ping",
    "中牟": "zhong mou",
    "牟定": "mou ding",
    "濮阳": "pu yang",
    "涡阳": "guo yang",
    "亳州": "bo zhou",
    "大足": "da zu",
    "合浦": "he pu",
    "藁城": "gao cheng",
    "栾城": "luan cheng",
    "都": "du",
    "宿": "su",
    "犍为": "qian wei",
    "黄陂": "huang pi",
    "泌阳": "bi yang",
    "召陵": "shao ling",
    "漯河": "luo he",
    "渑池": "mian chi",
    "大埔": "da bu",
    "覃塘": "qin tang",
    "柞水": "zha shui",
    "宕昌": "tan chang",
    "称多": "chen duo",
    "莎车": "sha che",
    "六盘水": "liu pan shui",
    "六枝": "liu zhi",
    "曲": "qu",
    "行唐": "xing tang",
    "蠡县": "li xian",
    "繁峙": "fan shi",
    "繁昌": "fan chang",
    "柏乡": "bai xiang",
    "盖州": "gai zhou",
    "朝阳": "chao yang",
    "茌平": "chi ping",
    "临朐": "lin qu",
    "射洪": "she hong",
    "射阳": "she yang",
    "沈丘": "shen qiu",
    "屯留": "tun liu",
    "新绛": "xin jiang",
    "绛县": "jiang xian",
    "峄城": "yi cheng",
    "芝罘": "zhi fu",
    "无棣": "wu di",
    "汨罗": "mi luo",
    "溆浦": "xu pu",
    "耒阳": "lei yang",
    "郴州": "chen zhou",
    "嵊州": "sheng zhou",
    "嵊泗": "sheng si",
    "诸暨": "zhu ji",
    "鄞州": "yin zhou",
    "缙云": "jin yun",
    "句容": "ju rong",
    "盱眙": "xu yi",
    "邗江": "han jiang",
    "沭阳": "shu yang",
    "栖霞": "qi xia",
    "相城": "xiang cheng",
    "芗城": "xiang cheng",
    "柘荣": "zhe rong",
    "柘城": "zhe cheng",
    "建瓯": "jian ou",
    "澄江": "cheng jiang",
    "澄城": "cheng cheng",
    "澄迈": "cheng mai",
    "澄海": "cheng hai",
    "个旧": "ge jiu",
    "弥勒": "mi le",
    "西畴": "xi chou",
    "漾濞": "yang bi",
    "宁蒗": "ning lang",
    "勐": "meng",
    "华蓥": "hua ying",
    "什邡": "shi fang",
    "綦江": "qi jiang",
    "北碚": "bei bei",
    "古蔺": "gu lin",
    "梓潼": "zi tong",
    "浏阳": "liu yang",
    "珲春": "hun chun",
    "镇赉": "zhen lai",
    "扎赉特": "zha lai te",
    "讷河": "ne he",
    "穆棱": "mu ling",
    "南岔": "nan cha",
    "茄子河": "qie zi he",
    "鲅鱼圈": "ba yu quan",
    "调兵山": "diao bing shan",
    "喀喇沁": "ka la qin",
    "磴口": "deng kou",
    "伽师": "jia shi",
    "且末": "qie mo",
    "焉耆": "yan qi",
    "碌曲": "lu qu",
    "崆峒": "kong tong",
    "岚皋": "lan gao",
    "佛坪": "fo ping",
    "合阳": "he yang",
    "石阡": "shi qian",
    "桐梓": "tong zi",
    "儋州": "dan zhou",
    "秭归": "zi gui",
    "猇亭": "xiao ting",
    "蕲春": "qi chun",
    "浠水": "xi shui",
    "监利": "jian li",
    "埇桥": "yong qiao",
    "濉溪": "sui xi",
    "砀山": "dang shan",
    "谯城": "qiao cheng",
    "琅琊": "lang ya",
    "睢": "sui",
    "郓城": "yun cheng",
    "鄄城": "juan cheng",
    "兖州": "yan zhou",
    "郯城": "tan cheng",
    "莒": "ju",
    "沁": "qin",
    "岢岚": "ke lan",
    "隰县": "xi xian",
    "临猗": "lin yi",
    "井陉": "jing xing",
    "涿": "zhuo",
    "泊头": "bo tou",
    "黄骅": "huang hua",
    "大厂": "da chang",
    "东莞": "dong guan",
    "拱墅": "gong shu",
    "瓯海": "ou hai",
    "南浔": "nan xun",
    "金阊": "jin chang",
    "戚墅堰": "qi shu yan",
    "如皋": "ru gao",
    "婺": "wu",
    "鄱阳": "po yang",
    "弋阳": "yi yang",
    "邕宁": "yong ning",
    "岑溪": "cen xi",
    "那坡": "na po",
    "阳朔": "yang shuo",
    "荔浦": "li pu",
    "普洱": "pu er",
    "洱源": "er yuan",
    "若尔盖": "ruo er gai",
    "色达": "se da",
    "汶": "wen",
    "乾": "qian",
    "单": "shan",
    "藏": "zang",
    "什": "shi",
    "佛": "fo",
    "南乐": "nan le",
    "勒": "le",
    "蚌": "beng",
    "马尾": "ma wei",
    "卡": "ka",
    "曾": "zeng",
    "圩": "xu",
    "万柏林": "wan bai lin",
    "闵行": "min hang",
}

LEVELS = {"province": 0, "prefecture": 1, "county": 2}


def syllables(text: str) -> list[str]:
    """Toneless pinyin syllables of ``text``: the override table first, pypinyin for the rest."""
    result: list[str] = []
    pending = ""
    longest = max(len(key) for key in SYLLABLE_OVERRIDES)
    i = 0
    while i < len(text):
        for size in range(min(longest, len(text) - i), 0, -1):
            piece = text[i : i + size]
            if piece in SYLLABLE_OVERRIDES:
                if pending:
                    result += lazy_pinyin(pending, style=Style.NORMAL, v_to_u=True)
                    pending = ""
                result += SYLLABLE_OVERRIDES[piece].split()
                i += size
                break
        else:
            pending += text[i]
            i += 1
    if pending:
        result += lazy_pinyin(pending, style=Style.NORMAL, v_to_u=True)
    for syllable in result:
        if not re.fullmatch(r"[a-zü]+", syllable):
            raise ValueError(f"{text!r}: no pinyin for {syllable!r}")
    return result


def word(parts: list[str]) -> str:
    """One word from its syllables: capital initial, apostrophe before a, o, e inside it."""
    text = parts[0]
    for part in parts[1:]:
        text += ("'" if part[0] in "aoe" else "") + part
    return text[0].upper() + text[1:]


def split_ethnic(specific: str, autonomous: bool) -> tuple[str, list[str]]:
    """The place name and the ethnic group names after it: 红河哈尼族彝族 -> 红河, [Hanizu, Yizu].

    In an autonomous name the group may stand without 族 (伊犁哈萨克自治州 -> Yili Hasake).
    """
    variants = [(group, group) for group in ETHNIC_GROUPS]
    if autonomous:
        variants += [(group[:-1], group) for group in ETHNIC_GROUPS if len(group) > 2 and group != "各族"]
    variants.sort(key=lambda variant: len(variant[0]), reverse=True)
    words: list[str] = []
    while True:
        for written, group in variants:
            if specific.endswith(written) and len(specific) > len(written):
                ending = ["zu"] if written == group else []
                words.insert(0, word(syllables(group[:-1]) + ending))
                specific = specific[: -len(written)]
                break
        else:
            return specific, words


def banner_words(specific: str) -> tuple[str, list[str]]:
    """Split 科尔沁左翼中旗-style banner names: 科尔沁, [Zuoyi], and the prefix of 旗 (中 -> Zhong)."""
    wing = re.fullmatch(r"(.+?)(左翼|右翼)([前中后])", specific)
    if wing:
        return wing.group(1), [word(syllables(wing.group(2))), word(syllables(wing.group(3)))]
    side = re.fullmatch(r"(.{2,}?)([前中后左右])", specific)
    if side:
        return side.group(1), [word(syllables(side.group(2)))]
    return specific, []


def english_name(name_zh: str) -> str:
    """The pinyin form of a prefecture's or county's name: 'Honghe Hanizu Yizu Zizhizhou'."""
    if name_zh in NAME_OVERRIDES:
        return NAME_OVERRIDES[name_zh]
    # The longest generic that fits; a two-character one needs a specific of two or more
    # characters (清新区 is Qingxin Qu, not Qing Xinqu).
    found = [
        (zh, en) for zh, en in GENERICS if name_zh.endswith(zh) and len(name_zh) - len(zh) >= min(len(zh), 2)
    ]
    if not found:
        raise ValueError(f"{name_zh!r}: no generic part")
    generic_zh, generic_en = found[0]
    specific = name_zh[: -len(generic_zh)]
    specific, words = split_ethnic(specific, autonomous=generic_zh.startswith("自治"))
    wing = re.fullmatch(r"(.+?)(左翼|右翼)", specific)
    if wing:  # 喀喇沁左翼蒙古族自治县: the wing is a word of its own
        specific = wing.group(1)
        words = [word(syllables(wing.group(2))), *words]
    if generic_zh == "旗":
        specific, prefix = banner_words(specific)
        if prefix:
            # 中旗 -> Zhongqi: the banner's position joins the generic into one word.
            generic_en = prefix[-1] + generic_en.lower()
            words = prefix[:-1] + words
    return " ".join([word(syllables(specific)), *words, generic_en])


def province_names() -> dict[str, tuple[str, str]]:
    """{code: (name_zh, name_en)} of the 31 provinces, from agencies/data/provinces.yaml."""
    pattern = re.compile(r'code: "(\d{6})", name_zh: ([^,]+), name_en: ([^,]+),')
    found = {m[1]: (m[2].strip(), m[3].strip()) for m in pattern.finditer(PROVINCES_YAML.read_text("utf-8"))}
    if len(found) != 31:
        raise SystemExit(f"{PROVINCES_YAML}: expected 31 provinces, found {len(found)}")
    return found


def level_of(code: int) -> str:
    if code % 10000 == 0:
        return "province"
    if code % 100 == 0:
        return "prefecture"
    return "county"


def edition_rows(year: int, provinces: dict[str, tuple[str, str]]) -> list[dict[str, str]]:
    """The rows of one edition, sorted by code."""
    source = GB2260_DATA[year]
    kept = {
        code: name
        for code, name in source.items()
        if code // 10000 not in EXCLUDED_PROVINCE_PREFIXES and name not in GROUPING_NAMES
    }
    rows = []
    for code in sorted(kept):
        name_zh = kept[code]
        level = level_of(code)
        if level == "province":
            if f"{code:06d}" not in provinces or provinces[f"{code:06d}"][0] != name_zh:
                raise SystemExit(f"{year}: province {code} {name_zh} is not in provinces.yaml")
            name_en, parent = provinces[f"{code:06d}"][1], ""
        else:
            name_en = english_name(name_zh)
            prefecture, province = code // 100 * 100, code // 10000 * 10000
            parent = prefecture if level == "county" and prefecture in kept else province
            if parent not in kept:
                raise SystemExit(f"{year}: {code} {name_zh} has no parent in the edition")
            parent = f"{parent:06d}"
        rows.append(
            {
                "code": f"{code:06d}",
                "name_zh": name_zh,
                "name_en": name_en,
                "level": level,
                "parent_code": parent,
            }
        )
    return rows


def write(year: int, rows: list[dict[str, str]]) -> Path:
    path = OUT_DIR / f"gb2260-{year}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def report(editions: dict[int, list[dict[str, str]]]) -> None:
    """Print the counts per level and what changed from the first edition to the second."""
    for year, rows in editions.items():
        counts = {level: sum(row["level"] == level for row in rows) for level in LEVELS}
        print(f"{year}: {len(rows)} rows, " + ", ".join(f"{n} {level}" for level, n in counts.items()))
    old, new = ({row["code"]: row for row in editions[year]} for year in EDITIONS)
    added = sorted(set(new) - set(old))
    removed = sorted(set(old) - set(new))
    renamed = sorted(code for code in set(old) & set(new) if old[code]["name_zh"] != new[code]["name_zh"])
    moved = sorted(
        code
        for code in set(old) & set(new)
        if old[code]["parent_code"] != new[code]["parent_code"] and code not in renamed
    )
    first, second = EDITIONS
    print(
        f"{first} -> {second}: {len(added)} added, {len(removed)} removed, {len(renamed)} renamed, ", end=""
    )
    print(f"{len(moved)} moved to another parent under the same name")

    def show(code: str, row: dict[str, str]) -> str:
        return f"{code} {row['name_zh']} ({row['name_en']}), parent {row['parent_code'] or '-'}"

    for title, codes, describe in (
        ("added", added, lambda c: show(c, new[c])),
        ("removed", removed, lambda c: show(c, old[c])),
        (
            "renamed",
            renamed,
            lambda c: f"{c} {old[c]['name_zh']} -> {new[c]['name_zh']} ({new[c]['name_en']})",
        ),
        (
            "moved",
            moved,
            lambda c: f"{c} {new[c]['name_zh']}: {old[c]['parent_code']} -> {new[c]['parent_code']}",
        ),
    ):
        print(f"  {title}:")
        for code in codes if "--all" in sys.argv else codes[:10]:
            print(f"    {describe(code)}")


def main() -> None:
    provinces = province_names()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    editions = {}
    for year in EDITIONS:
        editions[year] = edition_rows(year, provinces)
        print(f"wrote {write(year, editions[year]).relative_to(ROOT)}")
    report(editions)


if __name__ == "__main__":
    main()
