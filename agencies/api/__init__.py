"""The organisation's API: units and provinces (read only), and API tokens (``views``, ``authentication``)."""
