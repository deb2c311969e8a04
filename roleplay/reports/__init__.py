"""Reports on stored sessions: plain records, Markdown/HTML/CSV/JSON writers, anonymising, moving a
session between computers (export/import) and the class report. Nothing here imports Textual.

- :mod:`roleplay.reports.record`: :func:`load_record` builds a :class:`SessionRecord` from the store.
- :mod:`roleplay.reports.render`: :func:`render` any format from records, optionally anonymised.
- :mod:`roleplay.reports.transfer`: :func:`export_session`, :func:`import_file`.
- :mod:`roleplay.reports.class_report`: :func:`build_class_report` and its writers.
"""
