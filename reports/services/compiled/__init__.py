"""Compiled reports: what a report covers (spec), what it says (content), its two renderings
(PDF and XLSX) made from the same content, the compile job that starts, schedules and finishes them
(jobs), and their files as a download (files)."""
