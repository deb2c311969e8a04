"""The dashboard's groups table: rows drawn as plain text in columns, a cursor, and only changed rows redrawn."""

from __future__ import annotations

from textual.app import App, ComposeResult

from roleplay.tui.widgets.groups_table import GroupLine, GroupsTable

COLUMNS = ("Group", "People", "Ratings")


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield GroupsTable(COLUMNS, id="t")


def rows(**ratings: str) -> dict[str, tuple[str, ...]]:
    return {g: (g, "Ana, Ben [/x]", r) for g, r in ratings.items()}


async def test_rows_are_columns_of_plain_text_and_the_cursor_moves() -> None:
    app = TableApp()
    async with app.run_test(size=(80, 12)) as pilot:
        table = app.query_one(GroupsTable)
        assert table.selected is None
        table.show(rows(g1="none yet", g2="2 · mean 3.0"))
        table.focus()
        await pilot.pause()
        assert table.row_text("g1") == "g1     Ana, Ben [/x]  none yet"
        assert table.row_text("g2").startswith("g2     Ana, Ben [/x]  2 · mean 3.0")
        assert table.selected == "g1"
        await pilot.press("down")
        assert table.selected == "g2"
        await pilot.press("down")  # stays on the last row
        assert table.selected == "g2"
        await pilot.press("up")
        assert table.selected == "g1"
        await pilot.click(GroupLine, offset=(2, 2))  # the second group's line (the header is line 0)
        assert table.selected == "g2"


async def test_only_rows_whose_text_changed_are_redrawn() -> None:
    app = TableApp()
    async with app.run_test(size=(80, 12)) as pilot:
        table = app.query_one(GroupsTable)
        table.show(rows(g1="none yet", g2="none yet"))
        await pilot.pause()
        lines = {line.group_id: line for line in app.query(GroupLine) if line.group_id}
        updates: list[str | None] = []
        for line in lines.values():
            original = line.update
            line.update = lambda *a, _line=line, _original=original, **k: (updates.append(_line.group_id),
                                                                        _original(*a, **k))[1]
        table.show(rows(g1="none yet", g2="1 · mean 2"))  # same width: only g2 changes
        assert updates == ["g2"]
        table.show(rows(g1="none yet", g2="1 · mean 2"))  # nothing changed: nothing redrawn
        assert updates == ["g2"]
        table.show(rows(g1="none yet", g2="1 · mean 2", g3="none yet"))  # a new group: lines built again
        await pilot.pause()
        assert [line.group_id for line in app.query(GroupLine) if line.group_id] == ["g1", "g2", "g3"]
        assert table.row_count == 3
