"""The measures app: the plan, progress logging and evaluation rounds."""
