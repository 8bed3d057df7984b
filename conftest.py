# The shared fixtures, personas and helpers live in tests/ (README.md, "Map of the code"); every
# app's tests use them.
pytest_plugins = ["tests.fixtures", "tests.dates", "tests.browser"]
