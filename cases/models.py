"""Confidential case files of rescued women and children (measure 4.(4)).

The models arrive with the case-files issue; the app exists now so that the layout and the import
rules (cases stands on agencies, not on measures) hold from the start.
"""
