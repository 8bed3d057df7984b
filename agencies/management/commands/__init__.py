"""Management commands of the organisation: demo users, and the project's makemessages."""
