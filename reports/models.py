"""Quarterly reports, compiled reports, dashboards and evaluation rounds.

The models arrive with the issues that need them; ``reports`` stands on top of the other apps.
"""
