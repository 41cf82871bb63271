"""Deliverables made from a design: findings reports now; diagrams, decks and scripts later."""
