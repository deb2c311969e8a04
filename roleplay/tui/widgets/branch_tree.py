"""A scenario's play order drawn as a tree: the linear path, with branches hanging off the turns that lead to them.

Each turn on the linear path is a node. A branch is a child of the turn it leaves from, labelled with the
listener move that triggers it (``when advice``); under it come the branch-only turns it plays, then where
play rejoins the linear path (or that the round ends there). Turns no path reaches are listed at the end,
so a tutor sees them too. Labels are rich ``Text`` objects: file prose is never read as markup.
"""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Size
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from roleplay.content.scenario import Scenario, Turn
from roleplay.tui.text import shorten

#: How many characters of a speaker line a tree label shows (the turn details below give the whole line).
LINE_CHARS = 48
#: A guard against branch chains that loop back on themselves (validation allows some odd shapes).
MAX_DEPTH = 12


def natural_next(scenario: Scenario, turn: Turn) -> str | None:
    """The id of the turn play goes to after ``turn`` when no branch is taken (None: the round ends)."""
    if turn.next is not None:
        return turn.next
    index = scenario.turns.index(turn)
    return next((t.id for t in scenario.turns[index + 1:] if not t.only_via_branch), None)


def linear_path(scenario: Scenario) -> list[Turn]:
    """The turns played when no branch is taken, in order, starting at the first turn that is not branch-only."""
    by_id = {t.id: t for t in scenario.turns}
    current = next((t for t in scenario.turns if not t.only_via_branch), None)
    path: list[Turn] = []
    while current is not None and current not in path:
        path.append(current)
        following = natural_next(scenario, current)
        current = by_id.get(following) if following else None
    return path


def _turn_label(number: str, turn: Turn) -> Text:
    label = Text(f"{number} ", style="bold")
    label.append(turn.id, style="bold")
    label.append(f"  {shorten(turn.line, LINE_CHARS)}", style="dim")
    return label


class BranchTree(Tree[str]):
    """The play order of one scenario: linear turns, branches by listener move, rejoin points."""

    def __init__(self, *, id: str | None = None) -> None:
        """An empty tree; call :meth:`show` with a scenario."""
        super().__init__(Text("Play order"), id=id)
        self.show_root = False
        self.guide_depth = 3

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """As many lines as the tree has, so ``height: auto`` works inside a scrolling preview.

        Tree builds its lines lazily and only then sets its virtual size, after layout has already asked
        for the height; reading the lines here builds them first.
        """
        return len(self._tree_lines)

    def show(self, scenario: Scenario) -> None:
        """Redraw the tree for ``scenario`` (everything expanded)."""
        self.clear()
        by_id = {t.id: t for t in scenario.turns}
        path = linear_path(scenario)
        numbers = {t.id: str(i) for i, t in enumerate(path, start=1)}
        reached = {t.id for t in path}
        for turn in path:
            node = self.root.add(_turn_label(f"{numbers[turn.id]}.", turn), data=turn.id, expand=True,
                                 allow_expand=bool(turn.branches))
            self._add_branches(node, scenario, turn, by_id, numbers, reached, depth=0)
        unreached = [t for t in scenario.turns if t.id not in reached]
        if unreached:
            lost = self.root.add(Text("Not reached by any path", style="italic"), expand=True)
            for turn in unreached:
                lost.add_leaf(_turn_label("·", turn), data=turn.id)
        if not path:
            self.root.add_leaf(Text("No turn starts the round: every turn is branch-only.", style="italic"))
        self.root.expand_all()

    def _add_branches(self, node: TreeNode[str], scenario: Scenario, turn: Turn, by_id: dict[str, Turn],
                      numbers: dict[str, str], reached: set[str], depth: int) -> None:
        """Hang each branch of ``turn`` under ``node``, following branch-only turns until play rejoins."""
        for branch in turn.branches:
            label = Text("when ", style="italic")
            label.append(branch.when.value, style="bold")
            label.append(f" → {branch.goto}")
            if branch.note:
                label.append(f"  ({shorten(branch.note, LINE_CHARS)})", style="dim italic")
            child = node.add(label, data=branch.goto, expand=True)
            self._follow(child, scenario, branch.goto, by_id, numbers, reached, depth + 1)

    def _follow(self, node: TreeNode[str], scenario: Scenario, target: str | None, by_id: dict[str, Turn],
                numbers: dict[str, str], reached: set[str], depth: int) -> None:
        """Under ``node``: the branch-only turns played from ``target`` on, then where play goes back."""
        seen: set[str] = set()
        while True:
            if target is None:
                node.add_leaf(Text("■ the round ends here", style="italic"))
                return
            if target in numbers:
                node.add_leaf(Text(f"↩ rejoins at {numbers[target]}. {target}", style="italic"))
                return
            turn = by_id.get(target)
            if turn is None:
                node.add_leaf(Text(f"✗ no turn called '{target}'", style="bold red"))
                return
            if target in seen or depth > MAX_DEPTH:
                node.add_leaf(Text(f"↻ back to {target} (loop)", style="italic"))
                return
            seen.add(target)
            reached.add(target)
            child = node.add(_turn_label("⤷", turn), data=turn.id, expand=True, allow_expand=bool(turn.branches))
            self._add_branches(child, scenario, turn, by_id, numbers, reached, depth + 1)
            target = natural_next(scenario, turn)
