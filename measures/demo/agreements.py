"""Demo cooperation agreements (made once; the count made, 0 when already there)."""


def create_demo_agreements() -> int:
    return 0  # filled in with the record's pages and services
