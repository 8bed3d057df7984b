"""``manage.py makemessages`` for the whole project, without fuzzy matching."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    """Django's makemessages without fuzzy matching: a new string starts untranslated, so the
    catalogue test catches it, instead of silently borrowing the translation of a similar one."""

    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
