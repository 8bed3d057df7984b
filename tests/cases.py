"""Helpers for tests of case files."""

import datetime as dt

from agencies.models import MemberUnit, Province
from cases import services


def case_data(**overrides) -> dict:
    data = {
        "category": "child",
        "sex": "female",
        "name": "测试小红",
        "id_number": "450102200501011234",
        "phone": "13900001234",
        "address": "示例县示例镇1号",
        "date_of_birth": dt.date(2005, 1, 1),
        "rescued_on": dt.date(2009, 6, 1),
        "rescue_province": Province.objects.get(code="450000"),
        "rescuing_agency": MemberUnit.objects.get(code="MPS"),
        "exploitation": ["illegal_adoption"],
        "consent_services": True,
        "consent_sharing": True,
        "consent_statistics": True,
        "guardian_found": False,
    }
    data.update(overrides)
    return data


def open_case(officer, **overrides):
    return services.case_create(actor=officer, data=case_data(**overrides), confirm_duplicate=True)
