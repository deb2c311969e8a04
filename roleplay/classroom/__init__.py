"""A class served to many devices: class codes, the lobby, groups, seats and the tutor's decisions.

Plain Python over storage (no Textual): :mod:`roleplay.classroom.room` holds the actions,
:mod:`roleplay.classroom.state` replays a class's events into its state, and
:mod:`roleplay.classroom.shared` keeps one device's copy of a group's practice session in step with
what the other devices save.
"""
