"""Tests of the reports app's models, services, pages and API."""
