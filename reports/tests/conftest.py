"""Fixtures of the reports app's tests: the Guangxi reporter, who files most of their reports."""

import pytest


@pytest.fixture
def gx(persona):
    return persona("reporter_gx")
