"""What every versioned API write shares: the ``version`` field that refuses a stale write, and the
body of the Office's decision on a reviewed record."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.fields import empty

VERSION_HELP = _(
    "The version you last read. A write against any other version is refused (409), so that "
    "nobody's work is overwritten."
)
VERSION_MISSING = _("Send the version you last read, so that nobody's work is overwritten.")


class VersionField(serializers.IntegerField):
    """The ``version`` every versioned write carries: an integer, never null, ≥ 1 by default.

    Required even in a ``PATCH`` (DRF skips missing fields of a partial update, which would let a
    write without a version replace another writer's text). The services compare it with the saved
    version inside their transaction (409 when stale). ``required=False, default=0`` is for
    create-or-update endpoints, where 0 (or none) means "I expect none yet": a record someone else
    created meanwhile is then refused as stale, never overwritten.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("help_text", VERSION_HELP)
        kwargs["allow_null"] = False
        messages = {"required": VERSION_MISSING, "null": VERSION_MISSING, "invalid": VERSION_MISSING}
        kwargs["error_messages"] = {**messages, **kwargs.get("error_messages", {})}
        super().__init__(**kwargs)

    def validate_empty_values(self, data):
        if data is empty and self.required:
            self.fail("required")  # also in a partial update
        return super().validate_empty_values(data)


class VersionedSerializerMixin:
    """A model serializer whose ``version`` must be sent to change an existing record; creating one
    needs none (a new record has no version yet)."""

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is None:
            fields["version"] = VersionField(required=False, min_value=0)
        return fields


# The body of a decision on a reviewed record (``core.api.reviewed``). No docstring: it would become
# the schema component's description.
class DecisionSerializer(serializers.Serializer):
    version = VersionField()
    comment = serializers.CharField(required=False, allow_blank=True, default="")
