"""Tests of the case files' models, services, pages and API."""
