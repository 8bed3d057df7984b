"""Tests of the measures app's models, services, pages and API."""
