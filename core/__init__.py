"""The ground floor's machinery every portal app stands on: the permission gate, shared choices,
review workflow, change history, audit log, notifications, uploads, exports, the portal's clock,
encrypted and bilingual fields, form and API plumbing. Imports no portal app."""
