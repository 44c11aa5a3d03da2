"""Comparing opportunities: the ranking, how sure it is, what repeats, the tables."""
