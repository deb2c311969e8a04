"""``roleplay serve``: the class served to web browsers with textual-serve (no Textual imported here).

Each browser tab runs its own app process (a seat, or the tutor's dashboard) over one shared database.
"""
