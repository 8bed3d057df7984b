"""Management commands of case files."""
