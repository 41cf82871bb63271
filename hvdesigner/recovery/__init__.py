"""Recovery planning (format v2): site-loss scenarios, start order, what survives (Qt-free)."""
