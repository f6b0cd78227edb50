"""What org contributes to the registry: its figures and navigation."""
