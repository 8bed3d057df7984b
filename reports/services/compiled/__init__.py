"""Compiled reports: what a report covers (spec), what it says (content), and its two renderings
(PDF and XLSX) made from the same content."""
