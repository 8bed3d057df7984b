"""Fixtures of the measures app's tests: an evaluation round open for assessments."""

import pytest

from tests.evaluation import open_round


@pytest.fixture
def mid_term(persona):
    """The mid-term evaluation round, opened by the Office."""
    return open_round(persona("office"))
