"""Pages of the organisation, by topic: ``organisation`` (provinces), ``notifications`` (the user's
own messages) and ``sign_in`` (signing out, the password change, the second factor's setup and
step)."""
