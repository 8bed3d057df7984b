"""Demo users for every role, created by ``manage.py create_demo_users`` (``make run``)."""

from core.choices import Role

DEMO_PASSWORD = "imcs-demo-2026"  # noqa: S105 - printed on the console for development
# Demo case officers, the auditor and the administrator sign in with a second factor: add this key to an
# authenticator app, or use a backup code (each once per account; re-running create_demo_users
# renews them).
DEMO_TOTP_SECRET = "IMCSDEMOCASEFILESTWOFACTORKEYABC"  # noqa: S105 - development only
DEMO_BACKUP_CODES = [f"DEMO{n:04d}" for n in range(1, 11)]  # noqa: S105 - printed on the console for development

# Local agencies of the demo (code, unit, division, Chinese and English name): two civil-affairs
# agencies in Yunnan under the provincial department, one in Guangxi (a supervisor in Yunnan must not
# see it), and public security in Hebei, where people from Yunnan are rescued and referred home.
DEMO_AGENCIES = [
    ("MCA-530000", "MCA", "530000", "云南省民政厅", "Yunnan Provincial Department of Civil Affairs"),
    ("MCA-530100", "MCA", "530100", "昆明市民政局", "Kunming Civil Affairs Bureau"),
    ("MCA-532500", "MCA", "532500", "红河哈尼族彝族自治州民政局", "Honghe Prefecture Civil Affairs Bureau"),
    ("MPS-530000", "MPS", "530000", "云南省公安厅", "Yunnan Provincial Public Security Department"),
    ("MPS-530100", "MPS", "530100", "昆明市公安局", "Kunming Public Security Bureau"),
    ("MPS-530102", "MPS", "530102", "昆明市公安局五华分局", "Wuhua Branch, Kunming Public Security Bureau"),
    ("MCA-450000", "MCA", "450000", "广西壮族自治区民政厅", "Guangxi Department of Civil Affairs"),
    ("MCA-450100", "MCA", "450100", "南宁市民政局", "Nanning Civil Affairs Bureau"),
    ("MPS-130000", "MPS", "130000", "河北省公安厅", "Hebei Provincial Public Security Department"),
    ("MPS-130100", "MPS", "130100", "石家庄市公安局", "Shijiazhuang Public Security Bureau"),
]

# username, role, agency code, name
DEMO_USERS = [
    ("office", Role.OFFICE, "IMCS_OFFICE", "王静"),
    ("liaison.mca", Role.LIAISON, "MCA", "李明"),
    ("liaison.mca.deputy", Role.LIAISON, "MCA", "周洁"),
    ("liaison.mps", Role.LIAISON, "MPS", "张伟"),
    ("liaison.moe", Role.LIAISON, "MOE", "陈芳"),
    ("liaison.mohrss", Role.LIAISON, "MOHRSS", "吴刚"),
    ("province.gx", Role.PROVINCE, "ATO-450000", "黄丽"),
    ("province.yn", Role.PROVINCE, "ATO-530000", "杨帆"),
    ("prefecture.km", Role.PROVINCE, "ATO-530100", "李娜"),
    ("prefecture.dh", Role.PROVINCE, "ATO-533100", "岳兰"),
    ("case.mps", Role.CASE_OFFICER, "MPS-130100", "刘洋"),
    # Receive the public's reports of crimes in Yunnan and in Kunming (cases.demo.public_reports).
    ("case.mps.yn", Role.CASE_OFFICER, "MPS-530000", "杨军"),
    ("case.mps.km", Role.CASE_OFFICER, "MPS-530100", "段伟"),
    ("case.mca", Role.CASE_OFFICER, "MCA-530100", "赵敏"),
    ("case.mca.honghe", Role.CASE_OFFICER, "MCA-532500", "普梅"),
    ("case.mca.nanning", Role.CASE_OFFICER, "MCA-450100", "韦芳"),
    ("supervisor.mca.yn", Role.CASE_SUPERVISOR, "MCA-530000", "段红"),
    ("auditor", Role.AUDITOR, "IMCS_OFFICE", "孙强"),
    ("admin", Role.ADMIN, "IMCS_OFFICE", "管理员"),
]

# Yunnan collects its quarterly figures from its 16 prefecture-level divisions (reports/demo.py):
# one reporter at each prefecture's anti-trafficking office (ATO-<code>, made by
# Agency.objects.anti_trafficking_office). Kunming's and Dehong's (whose 2009 Q4 report the province
# returned) are printed with the users above; these sign in the same way, with the same password.
DEMO_OTHER_USERS = [
    ("prefecture.qj", Role.PROVINCE, "ATO-530300", "陈红"),
    ("prefecture.yx", Role.PROVINCE, "ATO-530400", "赵丽萍"),
    ("prefecture.bs", Role.PROVINCE, "ATO-530500", "孙志刚"),
    ("prefecture.zt", Role.PROVINCE, "ATO-530600", "马云飞"),
    ("prefecture.lj", Role.PROVINCE, "ATO-530700", "和秀英"),
    ("prefecture.pe", Role.PROVINCE, "ATO-530800", "李建华"),
    ("prefecture.lc", Role.PROVINCE, "ATO-530900", "罗海燕"),
    ("prefecture.cx", Role.PROVINCE, "ATO-532300", "普丽华"),
    ("prefecture.hh", Role.PROVINCE, "ATO-532500", "白春梅"),
    ("prefecture.ws", Role.PROVINCE, "ATO-532600", "王永平"),
    ("prefecture.bn", Role.PROVINCE, "ATO-532800", "刀玉香"),
    ("prefecture.dl", Role.PROVINCE, "ATO-532900", "段丽娟"),
    ("prefecture.nj", Role.PROVINCE, "ATO-533300", "和建新"),
    ("prefecture.dq", Role.PROVINCE, "ATO-533400", "扎西卓玛"),
]
