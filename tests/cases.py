"""Helpers for tests of case files."""

import datetime as dt

from agencies.models import Agency, Province
from cases import services

# A resident identity card number with a right check digit (GB 11643), born 2005-01-01.
ID_NUMBER = "450102200501011233"


def case_data(**overrides) -> dict:
    """A valid intake. A test that gives its own document number (often not a resident identity
    card number: "N1", "X1") gets the kind "other document", unless it names a kind."""
    data = {
        "category": "child",
        "sex": "female",
        "name": "测试小红",
        "id_document_kind": "resident_id",
        "id_number": ID_NUMBER,
        "phone": "13900001234",
        "address": "示例县示例镇1号",
        "date_of_birth": dt.date(2005, 1, 1),
        "rescued_on": dt.date(2009, 6, 1),
        "rescue_province": Province.objects.get(code="450000"),
        "rescuing_agency": Agency.objects.get(code="MPS"),
        "exploitation": ["illegal_adoption"],
        "consent_services": True,
        "consent_sharing": True,
        "consent_statistics": True,
        "guardian_found": False,
    }
    if "id_number" in overrides and "id_document_kind" not in overrides:
        data["id_document_kind"] = "other"
    data.update(overrides)
    return data


def open_case(officer, **overrides):
    return services.case_create(actor=officer, data=case_data(**overrides), confirm_duplicate=True)
