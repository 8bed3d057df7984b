"""Template tags of the machinery."""
