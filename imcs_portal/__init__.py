"""The portal's wiring (settings, URLs, Celery app); loads the Celery app with Django."""

from imcs_portal.celery import app as celery_app

__all__ = ("celery_app",)
