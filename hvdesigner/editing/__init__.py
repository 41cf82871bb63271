"""Editing (QtGui only): undoable commands and the Document that owns a design being edited."""
