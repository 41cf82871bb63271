"""The canvas (Qt widgets): the scene mirroring a design, its items, the view, the theme."""
