"""Content: the scenario, rubric and comfort-agreement file formats, and their safe loading.

Nothing in this package imports Textual; the CLI, the app and the tests all share it.
"""
