"""The Textual app: group practice screens and widgets on top of the headless core in roleplay.session."""
