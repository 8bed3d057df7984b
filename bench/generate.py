"""Grow what really grows: multiply the demo's growing tables to SCALE times the 1x data set.

1x is the size of the earlier measurement (about 2,000 case files and 13,000 audit rows); the
demo itself is far smaller, so the generator adds PER_CASE rows per case file on top of it: case
files, services, follow-ups, referrals (with the grants an accepted one gives), the audit log, the
change history, notifications, jobs, the public's reports, and the organisation that holds them
(public-security and civil-affairs offices at prefectures, with their case and reporting officers).
Rows go in through bulk_create, so encrypted fields are encrypted by the model's own field and the
blind indexes are the real keyed hashes: reading them costs what it costs in production.

A share of every table lands on the demo users the benchmark signs in as (case.mca, office,
liaison.mca, auditor), so their pages read a national-sized slice, not a constant one.
"""

from __future__ import annotations

import datetime as dt
import random
import time

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from agencies.choices import AgencyKind
from agencies.models import Agency, Division, MemberUnit, Province, User
from cases.choices import (
    CaseStatus,
    Category,
    DocumentKind,
    Exploitation,
    PublicReportStatus,
    ReferralKind,
    ReferralState,
    ServiceKind,
    Sex,
)
from cases.models import (
    AssistanceService,
    CaseFile,
    CaseFileGroupObjectPermission,
    FollowUp,
    PublicReport,
    Referral,
)
from cases.models.grants import VIEW_CASE, agency_group_name
from cases.services.duplicates import identity_indexes
from core.choices import Role
from core.crypto import blind_index
from core.models import AuditEntry, AuditShown, ChangeRecord, Notification
from reports.choices import JobKind, JobStatus
from reports.models import Job

CASES_1X = 2000
PER_CASE = {
    "services": 2,
    "follow_ups": 2,
    "referrals": 0.3,
    "audit": 6.5,
    "history": 6,
    "notifications": 2.35,
    "public_reports": 0.25,
}
JOBS_1X = 20
BATCH = 5000
# The slice of case files the benchmark's case officer (case.mca) keeps; the rest spread over the
# other agencies, so the gate's filters pick 10% of a national table.
BENCH_OFFICER_SHARE = 0.10
SURNAMES = "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗"
GIVEN = ["小红", "小兰", "春花", "秋月", "晓燕", "明明", "乐乐", "丽丽", "芳芳", "欢欢", "海燕", "玉兰"]
SHOWN_PER_LIST = 5  # files named by each generated list or search entry
AUDIT_ACTIONS = ["view", "view", "view", "list", "search", "change", "add_service", "add_follow_up", "reveal"]


def _bulk(model, rows, label: str) -> list:
    """Insert ``rows`` (an iterable of unsaved instances) in batches; return them with their pks."""
    start, done, batch = time.perf_counter(), [], []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            done += model.objects.bulk_create(batch)
            batch = []
    if batch:
        done += model.objects.bulk_create(batch)
    print(f"  {label:16} {len(done):>9,} rows  {time.perf_counter() - start:6.1f} s", flush=True)
    return done


def _moment(rng, year_from=2008, year_to=2009) -> dt.datetime:
    day = dt.date(rng.randint(year_from, year_to), rng.randint(1, 12), rng.randint(1, 28))
    return timezone.make_aware(dt.datetime.combine(day, dt.time(rng.randint(8, 18), rng.randint(0, 59))))


def _organisation(scale: int) -> tuple[list[Agency], list[User]]:
    """Public-security and civil-affairs offices at prefectures (national scale at 100x: every
    prefecture), each with two case officers and one reporting officer."""
    prefectures = list(Division.objects.filter(level="prefecture").order_by("code"))
    count = min(len(prefectures), max(1, round(len(prefectures) * scale / 100)))
    units = {u.code: u for u in MemberUnit.objects.filter(code__in=["MPS", "MCA"])}
    provinces = {p.code: p for p in Province.objects.all()}
    taken = set(Agency.objects.values_list("code", flat=True))
    agencies = [
        Agency(
            code=f"{unit}-{d.code}",
            kind=AgencyKind.UNIT_OFFICE,
            unit=units[unit],
            division=d,
            province=provinces.get(d.province_code),
            name_zh=f"{d.name_zh}{unit}（基准）",
            name_en=f"{unit} office, {d.code} (benchmark)",
        )
        for d in prefectures[:count]
        for unit in ("MPS", "MCA")
        if f"{unit}-{d.code}" not in taken
    ]
    agencies = _bulk(Agency, agencies, "agencies")
    password = make_password(None)  # unusable: the benchmark signs them in by session
    users = [
        User(username=f"bench.{a.code.lower()}.{n}", role=Role.CASE_OFFICER, agency=a, password=password)
        for a in agencies
        for n in (1, 2)
    ]
    users = _bulk(User, users, "users")
    # Each agency's group receives the grants of the referrals it accepts.
    Group.objects.bulk_create([Group(name=agency_group_name(a.pk)) for a in agencies], ignore_conflicts=True)
    return agencies, users


def _case_files(rng, scale, agencies, officers, bench_officer) -> list[CaseFile]:
    provinces = list(Province.objects.all())
    counties = list(Division.objects.filter(level="county").values_list("pk", "code", "name_zh")[:3000])
    sequence: dict[tuple[str, int], int] = {}
    total = CASES_1X * scale

    def rows():
        for i in range(total):
            if rng.random() < BENCH_OFFICER_SHARE:
                officer = bench_officer
            else:
                officer = rng.choice(officers)
            agency = officer.agency
            child = rng.random() < 0.45
            born = dt.date(
                rng.randint(2001, 2007) if child else rng.randint(1970, 1990),
                rng.randint(1, 12),
                rng.randint(1, 28),
            )
            created = _moment(rng)
            key = (agency.code, created.year)
            sequence[key] = sequence.get(key, 1000) + 1  # the demo's own numbers stay below 1000
            county_pk, county_code, county_name = rng.choice(counties)
            province = next((p for p in provinces if p.code == f"{county_code[:2]}0000"), provinces[0])
            data = {
                "name": f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)}（虚构）",
                "id_number": f"BENCH{i:07d}{born:%Y%m%d}",
                "date_of_birth": born,
            }
            yield CaseFile(
                number=f"{agency.code}-{created.year}-{sequence[key]:05d}",
                owner_agency=agency,
                category=Category.CHILD if child else Category.WOMAN,
                sex=Sex.MALE if child and rng.random() < 0.4 else Sex.FEMALE,
                id_document_kind=DocumentKind.OTHER,
                phone=f"1390{i:07d}",
                address=f"{county_name}示例镇{i % 500 + 1}号（虚构）",
                household_registration=county_name,
                estimated_age=None,
                home_province=province,
                home_county=county_name,
                home_division_id=county_pk,
                rescued_on=created.date(),
                rescue_province=province,
                rescue_division_id=county_pk,
                rescuing_agency=agency,
                exploitation=[rng.choice(Exploitation.values)],
                consent_services=True,
                consent_sharing=rng.random() < 0.8,
                consent_statistics=rng.random() < 0.9,
                guardian_found=(rng.random() < 0.6) if child else None,
                status=rng.choice(CaseStatus.values[:4]),
                created_at=created,
                created_by=officer,
                updated_at=created,
                updated_by=officer,
                **data,
                **identity_indexes(data),
            )

    return _bulk(CaseFile, rows(), "case files")


def _parts(rng, cases, officer_of):
    def services():
        for _n in range(int(PER_CASE["services"] * len(cases))):
            case = rng.choice(cases)
            at = case.created_at + dt.timedelta(days=rng.randint(1, 60))
            yield AssistanceService(
                case=case,
                kind=rng.choice(ServiceKind.values),
                agency_id=case.owner_agency_id,
                provided_on=at.date(),
                outcome="已完成。",
                created_at=at,
                created_by=officer_of[case.owner_agency_id],
            )

    def follow_ups():
        for _n in range(int(PER_CASE["follow_ups"] * len(cases))):
            case = rng.choice(cases)
            at = case.created_at + dt.timedelta(days=rng.randint(10, 120))
            due = at.date() + dt.timedelta(days=rng.choice([30, 60, 120, 365]))
            yield FollowUp(
                case=case,
                agency_id=case.owner_agency_id,
                visited_on=at.date(),
                living_conditions="生活稳定。",
                needs="希望就近就业。",
                next_visit_due=due,
                created_at=at,
                created_by=officer_of[case.owner_agency_id],
            )

    _bulk(AssistanceService, services(), "services")
    _bulk(FollowUp, follow_ups(), "follow-ups")
    # Each file's latest visit and the next visit it set as due, as follow_up_add keeps them.
    start = time.perf_counter()
    latest = FollowUp.objects.filter(case=OuterRef("pk")).order_by("-visited_on", "-pk")
    CaseFile.objects.update(
        latest_follow_up=Subquery(latest.values("pk")[:1]),
        next_visit_due=Subquery(latest.values("next_visit_due")[:1]),
    )
    print(f"  {'latest visits':16} {'':>9}       {time.perf_counter() - start:6.1f} s", flush=True)


def _referrals(rng, cases, agency_ids, officer_of):
    """Referrals, one per case at most (the open-referral constraint): mostly ended, a tenth
    accepted (with the grant that opens the case to the receiving agency) and some pending."""
    states = (
        [ReferralState.COMPLETED] * 4
        + [ReferralState.DECLINED] * 2
        + [ReferralState.REVOKED, ReferralState.PENDING, ReferralState.ACCEPTED]
    )
    chosen = rng.sample(cases, int(PER_CASE["referrals"] * len(cases)))

    def rows():
        for case in chosen:
            to = rng.choice(agency_ids)
            if to == case.owner_agency_id:
                continue
            at = case.created_at + dt.timedelta(days=rng.randint(1, 30))
            state = rng.choice(states)
            decided = state != ReferralState.PENDING
            yield Referral(
                case=case,
                kind=ReferralKind.REFERRAL,
                from_agency_id=case.owner_agency_id,
                to_agency_id=to,
                purpose="请接收安置。",
                state=state,
                requested_at=at,
                requested_by=officer_of[case.owner_agency_id],
                decided_at=at + dt.timedelta(days=2) if decided else None,
                decided_by=officer_of[to] if decided else None,
            )

    referrals = _bulk(Referral, rows(), "referrals")
    accepted = [r for r in referrals if r.state == ReferralState.ACCEPTED]
    groups = dict(Group.objects.filter(name__startswith="agency:").values_list("name", "pk"))
    permission = Permission.objects.get(codename=VIEW_CASE, content_type__app_label="cases")
    grants = (
        CaseFileGroupObjectPermission(
            group_id=groups[agency_group_name(r.to_agency_id)],
            permission=permission,
            content_object_id=r.case_id,
        )
        for r in accepted
        if agency_group_name(r.to_agency_id) in groups
    )
    _bulk(CaseFileGroupObjectPermission, grants, "grants")


def _logs(rng, cases, users, bench_users):
    case_type = ContentType.objects.get_for_model(CaseFile)
    auditable = [u for u in users if u.role == Role.CASE_OFFICER]

    def audit():
        for _n in range(int(PER_CASE["audit"] * len(cases))):
            case, user = rng.choice(cases), rng.choice(auditable)
            action = rng.choice(AUDIT_ACTIONS)
            if action in ("list", "search"):  # one entry naming the files a page showed
                shown = [c.number for c in rng.sample(cases, SHOWN_PER_LIST)]
                yield AuditEntry(
                    at=_moment(rng, 2009, 2009), user=user, agency_id=user.agency_id, action=action,
                    content_type=case_type, object_id=None, object_label="", channel="page",
                    ip="10.0.0.1", request_id=f"{rng.getrandbits(64):016x}",
                    detail={"shown": shown, "count": len(shown), "list": "cases"},
                )  # fmt: skip
                continue
            yield AuditEntry(
                at=_moment(rng, 2009, 2009),
                user=user,
                agency_id=user.agency_id,
                action=action,
                content_type=case_type,
                object_id=case.pk,
                object_label=case.number,
                channel=rng.choice(["page", "page", "api", "export"]),
                ip="10.0.0.1",
                request_id=f"{rng.getrandbits(64):016x}",
                detail={"fields": ["status"]},
            )

    # The history of the growing records: on case files here (their pages do not read it; the
    # table and its index grow as in production, where every reviewed record adds its rows).
    def history():
        for _n in range(int(PER_CASE["history"] * len(cases))):
            case = rng.choice(cases)
            yield ChangeRecord(
                content_type=case_type,
                object_id=case.pk,
                action=rng.choice(["created", "edited"]),
                actor=case.created_by,
                at=case.created_at,
                changes={"status": ["open", "assisted"]},
                comment="",
            )

    def notifications():
        for n in range(int(PER_CASE["notifications"] * len(cases))):
            # A fifth to the users the benchmark signs in as: their lists read a national slice.
            user = rng.choice(bench_users) if rng.random() < 0.2 else rng.choice(users)
            at = _moment(rng, 2009, 2009)
            yield Notification(
                user=user,
                title_zh=f"提醒 {n}",
                title_en=f"Reminder {n}",
                body_zh="请按时填报。",
                body_en="Please report on time.",
                link="/progress/mine/",
                created_at=at,
                read_at=at if rng.random() < 0.7 else None,
            )

    entries = _bulk(AuditEntry, audit(), "audit log")
    lists = (e for e in entries if "shown" in e.detail)
    shown = (AuditShown(entry_id=e.pk, label=label) for e in lists for label in e.detail["shown"])
    _bulk(AuditShown, shown, "audit lists")
    del entries
    _bulk(ChangeRecord, history(), "history")
    _bulk(Notification, notifications(), "notifications")


def _public_reports(rng, cases, agencies):
    divisions = list(Division.objects.filter(level="county").values_list("pk", "code")[:3000])
    provinces = dict(Province.objects.values_list("code", "pk"))
    receivers = [a for a in agencies if a.code.startswith("MPS")] or agencies

    def rows():
        for n in range(int(PER_CASE["public_reports"] * len(cases))):
            division_pk, code = rng.choice(divisions)
            at = _moment(rng, 2009, 2009)
            triage = rng.random() < 0.2
            yield PublicReport(
                follow_up_index=blind_index(f"bench-follow-up-{n}"),
                division_id=division_pk,
                province_id=provinces[f"{code[:2]}0000"],
                receiving_agency=None if triage else rng.choice(receivers),
                via_triage=triage,
                status=rng.choice(PublicReportStatus.values),
                description="有人在工地强迫劳动。（虚构）",
                language="zh-hans",
                received_at=at,
                updated_at=at,
            )

    _bulk(PublicReport, rows(), "public reports")


def _jobs(rng, scale, users):
    owners = [u for u in users if u.role in (Role.OFFICE, Role.PROVINCE)] or users

    def rows():
        for _n in range(JOBS_1X * scale):
            at = _moment(rng, 2009, 2009)
            yield Job(
                kind=JobKind.values[0],
                owner=rng.choice(owners),
                status=JobStatus.SUCCEEDED,
                progress=100,
                params={},
                result={},
                created_at=at,
                started_at=at,
                finished_at=at,
                heartbeat_at=at,
                attempts=1,
            )

    _bulk(Job, rows(), "jobs")


@transaction.atomic
def grow(scale: int) -> None:
    rng = random.Random(15)  # noqa: S311 - repeatable data, not a secret
    agencies, officers = _organisation(scale)
    bench_officer = User.objects.select_related("agency").get(username="case.mca")
    demo_officers = list(
        User.objects.select_related("agency").filter(role=Role.CASE_OFFICER, username__startswith="case.")
    )
    officers = [
        *demo_officers,
        *User.objects.select_related("agency").filter(pk__in=[u.pk for u in officers]),
    ]
    officer_of = {u.agency_id: u for u in reversed(officers)}
    all_agencies = [*Agency.objects.filter(pk__in=officer_of)]
    cases = _case_files(rng, scale, all_agencies, officers, bench_officer)
    _parts(rng, cases, officer_of)
    _referrals(rng, cases, list(officer_of), officer_of)
    users = list(User.objects.all())
    bench_users = list(User.objects.filter(username__in=["case.mca", "office", "liaison.mca", "auditor"]))
    _logs(rng, cases, users, bench_users)
    _public_reports(rng, cases, all_agencies)
    _jobs(rng, scale, users)
