"""Storage errors whose messages are written for the person using the app, never a traceback.

Every error carries ``message`` (what happened and what to do) so the CLI and the TUI can show it as is.
"""

from __future__ import annotations

from pathlib import Path

#: How to pick another data folder, said after "Choose" or "or choose" in the messages below.
_ANOTHER_FOLDER = "another folder with --data-dir PATH or by setting the ROLEPLAY_DATA_DIR environment variable."


class StorageError(Exception):
    """Base class for storage problems; ``str(error)`` is the user-facing message."""

    def __init__(self, message: str) -> None:
        """Keep the user-facing message."""
        super().__init__(message)
        self.message = message


class DataDirError(StorageError):
    """The data folder is missing and cannot be created, or it cannot be written to."""

    def __init__(self, path: Path, reason: str) -> None:
        """Say which folder, why it cannot be used and how to choose another."""
        super().__init__(f"roleplay cannot save to the data folder {path}: {reason}. Choose {_ANOTHER_FOLDER}")
        self.path = path
        self.reason = reason


class DatabaseLockedError(StorageError):
    """Another program kept the database busy for longer than we were willing to wait."""

    def __init__(self, path: Path, waited: float) -> None:
        """Say which file was busy and for how long we waited."""
        super().__init__(
            f"The practice database {path} is in use by another program (perhaps roleplay open in another "
            f"terminal). We waited {waited:g} seconds. Close the other program and try again, or choose "
            f"{_ANOTHER_FOLDER}"
        )
        self.path = path


class CorruptDatabaseError(StorageError):
    """The database file is damaged and could not even be moved aside."""

    def __init__(self, path: Path, reason: str) -> None:
        """Say which file is damaged and what to do about it."""
        super().__init__(
            f"The practice database {path} is damaged and could not be moved aside ({reason}). "
            f"Move or delete the file yourself, or choose {_ANOTHER_FOLDER}"
        )
        self.path = path


class SessionNotFoundError(StorageError):
    """No stored session has this id."""

    def __init__(self, session_id: str) -> None:
        """Name the missing session."""
        super().__init__(f"No saved practice session has the id {session_id!r}.")
        self.session_id = session_id


class SessionOpenElsewhereError(StorageError):
    """Another program (roleplay in another terminal or on the class server) saved to this session after
    it was opened here, so this copy is out of date and its next action is refused."""

    def __init__(self, session_id: str) -> None:
        """Say plainly that the session is open elsewhere and what to do."""
        super().__init__(
            f"This session ({session_id}) is open in another roleplay window, terminal or computer, which has "
            "saved to it since it was opened here, so nothing from this action was saved. Carry on in the "
            "other one, or close it and open the session again here."
        )
        self.session_id = session_id


class StaleError(StorageError):
    """Another process wrote first to a log several processes share (a class's): catch up and try again."""

    def __init__(self, what: str) -> None:
        """Name the log that moved on."""
        super().__init__(f"{what} changed on another device; catching up.")
