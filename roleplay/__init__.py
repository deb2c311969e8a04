"""roleplay: practise listening skills by role-play in the terminal."""

__version__ = "0.1.0"
