"""The designer's window: main window, docks (palette, inspector, findings), actions."""
