"""The project's shared test helpers (personas, fixtures, dates, jobs, browser) and cross-app tests."""
