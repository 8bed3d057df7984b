"""The reports app: the provinces' quarterly reports, the plan's indicators, dashboards, compiled reports,
and the background jobs that check uploads and compile reports."""
