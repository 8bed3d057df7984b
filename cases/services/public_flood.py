"""What keeps automated floods off the public report page: a proof-of-work challenge (ALTCHA,
https://altcha.org: the browser spends a moment of work that a robot sending thousands of reports
would spend thousands of times), each challenge good for one report only, and a trap field that
people never see. The page also limits reports and status checks per address (django-ratelimit,
in the views)."""

from __future__ import annotations

import secrets
import time

import altcha
from django.conf import settings
from django.core.cache import cache

ALGORITHM = "PBKDF2/SHA-256"
MAX_PAYLOAD = 4000  # a solved challenge is some 600 characters; more is not one
CHALLENGE_SECONDS = 30 * 60  # real seconds: the portal's clock may read another year


def new_challenge() -> dict:
    """A signed challenge for the widget: the browser finds the counter the server chose (below
    PUBLIC_REPORT_POW_MAX_COUNTER), each step a PBKDF2 of PUBLIC_REPORT_POW_COST iterations."""
    challenge = altcha.create_challenge(
        ALGORITHM,
        settings.PUBLIC_REPORT_POW_COST,
        counter=secrets.randbelow(settings.PUBLIC_REPORT_POW_MAX_COUNTER) + 1,
        expires_at=int(time.time()) + CHALLENGE_SECONDS,
        hmac_secret=settings.PUBLIC_REPORT_POW_SECRET,
        hmac_key_secret=settings.PUBLIC_REPORT_POW_SECRET + ":key",
    )
    return challenge.to_dict()


def solved(payload: str) -> bool:
    """Whether ``payload`` (the widget's hidden field) solves a challenge of ours that is still
    good and was not used before: each challenge counts once."""
    if not payload or len(payload) > MAX_PAYLOAD:
        return False
    result = altcha.verify_solution(
        payload,
        settings.PUBLIC_REPORT_POW_SECRET,
        hmac_key_secret=settings.PUBLIC_REPORT_POW_SECRET + ":key",
    )
    if not result.verified:
        return False
    parsed = altcha.Payload.from_base64(payload)
    return cache.add(f"public-report-pow:{parsed.challenge.signature}", 1, timeout=CHALLENGE_SECONDS)


def is_trapped(value: str) -> bool:
    """Whether the trap field was filled: only a robot sees it."""
    return bool((value or "").strip())
