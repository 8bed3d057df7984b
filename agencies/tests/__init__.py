"""Tests of the organisation's models, services, pages and API."""
