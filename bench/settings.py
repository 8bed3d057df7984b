"""The portal's settings with the benchmark's two floors in front of its URLs (bench/floor_urls.py).
Read only by the benchmark's gunicorn (bench/load.py); the portal never imports it."""

from imcs_portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.floor_urls"
