# The shared fixtures, personas and helpers live in tests/ (HOUSE_STYLE.md); every app's tests use them.
pytest_plugins = ["tests.fixtures", "tests.dates", "tests.browser"]
