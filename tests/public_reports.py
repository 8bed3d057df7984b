"""Helpers for tests of reports from the public: the seats of the anti-trafficking offices (Yunnan's
in its public-security department, Kunming's in its bureau), a report made through the service, a
solved proof-of-work payload as the widget sends it, and a client from an address of its own (the
limits count per address, in Redis, across tests)."""

import secrets

import altcha
from django.test import Client

from agencies.models import Agency, Division
from cases.services.public_reports import PublicReportInput, public_report_submit
from core.choices import Role
from tests.personas import make_agency, make_user


def seat(ato_division: str, agency_code: str) -> Agency:
    """Set the public-security office the anti-trafficking office of ``ato_division`` sits in."""
    office = make_agency(f"ATO-{ato_division}")
    office.seat = make_agency(agency_code)
    office.save()
    return office.seat


def seated_world() -> dict:
    """Yunnan's ATO in MPS-530000 and Kunming's in MPS-530100, with a case officer at each."""
    yunnan, kunming = seat("530000", "MPS-530000"), seat("530100", "MPS-530100")
    return {
        "yunnan": yunnan,
        "kunming": kunming,
        "officer_yn": make_user("case.yn", Role.CASE_OFFICER, agency="MPS-530000"),
        "officer_km": make_user("case.km", Role.CASE_OFFICER, agency="MPS-530100"),
    }


def report_in(division_code: str, **fields):
    """A report about ``division_code``, through the service; returns (report, code)."""
    data = {"division": Division.objects.get(code=division_code), "description": "有人在车站诱骗儿童。"}
    data.update(fields)
    return public_report_submit(data=PublicReportInput(**data))


def solved_payload(settings) -> str:
    """What the widget sends once it solved a challenge of the page (cheap under the tests' cost)."""
    settings.PUBLIC_REPORT_POW_COST, settings.PUBLIC_REPORT_POW_MAX_COUNTER = 1, 5
    from_page = Client(REMOTE_ADDR=fresh_address()).get("/report/challenge/").json()
    challenge = altcha.Challenge.from_dict(from_page)
    solution = altcha.solve_challenge(challenge)
    return altcha.Payload(challenge, solution).to_base64()


def fresh_address() -> str:
    """An address no other test sent from (198.18.0.0/15 is for benchmarks)."""
    return f"198.18.{secrets.randbelow(256)}.{secrets.randbelow(254) + 1}"


def public_client() -> Client:
    """A member of the public: no account, an address of their own."""
    return Client(REMOTE_ADDR=fresh_address())


def form_data(settings, **fields) -> dict:
    """A valid report as the page posts it (Kunming's 五华区, anonymous), with a solved challenge."""
    data = {
        "province": "530000",
        "county": "530102",
        "description": "车站附近有陌生人带走女孩。",
        "is_anonymous": "on",
        "website": "",
        "altcha": solved_payload(settings),
    }
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def national_seat_report(division_code: str = "530102"):
    """A report that the national public-security office (the ``case_mps`` persona's) receives:
    Yunnan's anti-trafficking office set to sit in it."""
    office = make_agency("ATO-530000")
    office.seat = Agency.objects.get(code="MPS")
    office.save()
    return report_in(division_code)[0]
