"""Fixtures of the case-file tests: the two case officers' personas and a file of MPS's."""

import pytest

from tests.cases import open_case


@pytest.fixture
def mps(persona):
    return persona("case_mps")


@pytest.fixture
def mca(persona):
    return persona("case_mca")


@pytest.fixture
def case(mps):
    return open_case(mps)
