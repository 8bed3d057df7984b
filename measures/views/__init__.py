"""The measures app's pages, by topic: the plan, progress logging, evaluation rounds."""
