"""Tests of the deliverables (hvdesigner export)."""
