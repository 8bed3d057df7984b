"""The organisation: member units, provinces, users and their roles, two-factor sign-in, sign-in safety
(lockout, sessions) and API tokens. Stands on ``core``; imports no other portal app."""
