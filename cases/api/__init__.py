"""The REST API of case files (``serializers``, ``views``, ``urls``)."""
