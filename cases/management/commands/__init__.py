"""Management commands of case files: the demo files, the rotation of encryption keys."""
