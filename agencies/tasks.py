"""Celery tasks of the agencies app: each calls a service."""

from celery import shared_task

from agencies.services.accounts import sign_in_records_clean


@shared_task
def clean_sign_in_records() -> dict:
    """Daily (CELERY_BEAT_SCHEDULE): expired API tokens, and sign-in logs past SIGN_IN_LOG_DAYS."""
    return sign_in_records_clean()
