"""Refusals every workflow shares: an action the state does not allow, and an edit conflict."""

from django.utils.translation import gettext as _


class WorkflowError(Exception):
    """An action the record's state does not allow; the message says why."""


class EditConflict(Exception):
    """Someone saved the record since the user opened it: the user's change was not applied."""

    def __init__(self, record):
        self.record = record
        who = record.updated_by.get_full_name() or record.updated_by.username
        super().__init__(
            _(
                "%(who)s saved this at %(when)s, after you opened it. Your changes were not saved: "
                "compare them with what is saved now and save again."
            )
            % {"who": who, "when": record.updated_at.astimezone().strftime("%Y-%m-%d %H:%M")}
        )

    @property
    def entry(self):
        return self.record
