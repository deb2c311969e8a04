"""One module per screen of the roleplay app."""
