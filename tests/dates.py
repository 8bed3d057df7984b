"""The portal's date in tests (``PORTAL_TODAY``), said with a marker and set by one autouse fixture.

A module that runs on one day says so once, ``pytestmark = pytest.mark.portal_date("2009-10-05")``;
a test says its own day with ``@pytest.mark.portal_date("2010-01-10")`` (the closest marker wins).
A test that moves the date in the middle sets ``settings.PORTAL_TODAY`` itself. Without a marker the
portal runs on the real date.
"""

import pytest

MARKER = "portal_date"


def pytest_configure(config):
    config.addinivalue_line(
        "markers", f"{MARKER}(day): the portal's date (PORTAL_TODAY, ISO 8601) for the test"
    )


@pytest.fixture(autouse=True)
def portal_date(request) -> str | None:
    """The day of the closest ``portal_date`` marker, set as ``PORTAL_TODAY`` for the test (pytest-django's
    ``settings`` puts it back afterwards)."""
    marker = request.node.get_closest_marker(MARKER)
    if marker is None:
        return None
    (day,) = marker.args
    request.getfixturevalue("settings").PORTAL_TODAY = day
    return day
