"""The measures API: the plan (plans, areas, measures, targets, periods), progress entries and their
evidence, and evaluation rounds with their assessments."""
