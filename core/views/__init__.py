"""Page views every app shares: the Office's decision on a reviewed record (``reviewed``)."""
