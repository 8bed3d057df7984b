"""Management commands of the organisation."""
