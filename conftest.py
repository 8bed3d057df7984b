# The shared fixtures and personas live in tests/ (HOUSE_STYLE.md); every app's tests use them.
pytest_plugins = ["tests.fixtures"]
