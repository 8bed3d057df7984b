"""What every app's API shares: base viewsets and router, pagination, the version field, errors."""
