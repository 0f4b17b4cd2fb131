"""The rasa-sdk action server: thin adapters from Rasa slots to the engine."""
