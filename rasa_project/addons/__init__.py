"""Rasa extensions loaded with the model (referenced from config.yml)."""
