"""Issue 13, items 10-11: anonymised reports leak no name in any form or script, every user-written
string is inert Markdown/HTML, and names lose line breaks and bidi controls when they are entered."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roleplay.reports.anonymize import Anonymizer, fold
from roleplay.reports.record import load_record
from roleplay.reports.render import render
from roleplay.reports.sample import play_group
from roleplay.session.engine import PracticeSession
from roleplay.session.roles import RosterError, check_names, clean_name
from roleplay.session.samples import sample_rubric, sample_scenario
from roleplay.session.state import ListenerMode, SessionConfig
from roleplay.storage import open_store
from roleplay.storage.events import MemorySink

FORMATS = ("md", "html", "csv", "json")


def test_the_reported_leaks_are_closed() -> None:
    """"Jürgen Groß" became "Trainee A Groß"; "İpek Zoë" became another person's label; NFD and ligatures leaked."""
    tool = Anonymizer(["Jürgen Groß", "Zoë Adams", "İpek Zoë", "ﬁona Bell", "王小明"])
    assert tool.text("Jürgen Groß, Herr GROSS, jürgen") == "Trainee A, Herr Trainee A, Trainee A"
    assert tool.text("İpek Zoë spoke") == "Trainee C spoke"
    assert tool.text("Zoe\u0308 and ZOË") == "Trainee B/C and Trainee B/C"  # shared part: both labels, no one's alone
    assert tool.text("fiona and ﬁona") == "Trainee D and Trainee D"
    assert tool.text("我和王小明去了") == "我和Trainee E去了"
    assert tool.text("Benefit and Zoëtrope stay") == "Benefit and Zoëtrope stay"  # whole words only


# One alphabet per script; a name part takes 2-6 letters from one of them. Latin parts always carry a
# letter with a diacritic so they can never be an English word of the report's own wording.
ALPHABETS = {
    "latin": ("äöüßéèçñøåłžšğıİ", "abcdefghijklmnopqrstuvwxyz"),
    "greek": ("αβγδεζηθικλμνξοπρστυφχψω", ""),
    "cyrillic": ("абвгдежзийклмнопрстуфхцчшщыэюя", ""),
    "arabic": ("ابتثجحخدذرزسشصضطظعغفقكلمنهوي", ""),
    "hebrew": ("אבגדהוזחטיכלמנסעפצקרשת", ""),
    "devanagari": ("अआइईउऊएऐओऔकखगघचछजझटठडढणतथदधनपफबभमयरलवशषसह", "ािीुूेैोौं"),
    "han": ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐", ""),
    "thai": ("กขคงจฉชซญดตถทธนบปผพฟภมยรลวศษสหอฮ", ""),
    "hangul": ("김이박최정강조윤장임한오서신권황안송류홍", ""),
    "georgian": ("აბგდევზთიკლმნოპჟრსტუფქღყშჩცძწჭხჯჰ", ""),
}


@st.composite
def name_part(draw: st.DrawFn, script: str) -> str:
    must, extra = ALPHABETS[script]
    first = draw(st.sampled_from(must))
    rest = draw(st.text(alphabet=must + extra, min_size=1, max_size=5))
    return first + rest


@st.composite
def person(draw: st.DrawFn) -> str:
    script = draw(st.sampled_from(sorted(ALPHABETS)))
    parts = draw(st.lists(name_part(script), min_size=1, max_size=3))
    return " ".join(parts)


def variants(name: str) -> list[str]:
    """How the same name turns up in typed text: as entered, NFD, upper case, first part alone."""
    first = name.split()[0]
    return [name, unicodedata.normalize("NFD", name), name.upper(), first, unicodedata.normalize("NFD", first).upper()]


def visible_strings(text: str, fmt: str) -> str:
    """What a reader of the document sees: JSON strings, CSV cells, HTML without entities, Markdown
    without its backslash escapes."""
    if fmt == "json":
        found: list[str] = []
        todo = [json.loads(text)]
        while todo:
            value = todo.pop()
            if isinstance(value, str):
                found.append(value)
            elif isinstance(value, dict):
                todo += [*value.keys(), *value.values()]
            elif isinstance(value, list):
                todo += value
        return "\n".join(found)
    if fmt == "csv":
        return "\n".join(" ".join(row) for row in csv.reader(io.StringIO(text)))
    if fmt == "html":
        return html.unescape(text)
    return re.sub(r"\\(.)", r"\1", text)


def survives(part: str, text: str) -> bool:
    """Whether a folded name part still stands in the folded text as a word of its own (anywhere, for
    scripts without spaces)."""
    folded = fold(text)
    if re.search("[\u0e00-\u0e7f\u4e00-\u9fff]", part):
        return part in folded
    return re.search(rf"(?<![\w\u0900-\u097f]){re.escape(part)}(?![\w\u0900-\u097f])", folded) is not None


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people=st.lists(person(), min_size=3, max_size=3, unique_by=fold))
def test_no_name_part_survives_in_any_format(tmp_path_factory: pytest.TempPathFactory, people: list[str]) -> None:
    sink = MemorySink()
    config = SessionConfig(tuple(people), sample_scenario(), sample_rubric(), mode=ListenerMode.typed)
    session = PracticeSession.create(config, sink, clock=lambda: 1_700_000_000.0, session_id="anon0001")
    session.acknowledge_agreement()
    for number, rnd in enumerate(session.rounds, start=1):
        session.start_round()
        rater = rnd.roles.raters[0]
        for form in variants(rnd.roles.speaker):
            session.record_response(f"So, {form}, it has been hard?")
            session.record_note(rater, f"{form} was heard; {variants(rnd.roles.listener)[number % 5]} listened.")
        session.end_round()
    session.finish()
    with open_store(tmp_path_factory.mktemp("anon")) as store:
        for event in sink.load_events("anon0001"):
            store.append_event("anon0001", event)
        record = load_record(store, "anon0001")
    from roleplay.reports.anonymize import name_parts

    for fmt in FORMATS:
        shown = visible_strings(render([record], fmt, anonymize=True), fmt)
        for name in people:
            for part in [fold(name), *name_parts(name)]:
                assert not survives(part, shown), (fmt, name, part)


HOSTILE_NAMES = ("<img src=x onerror=alert(1)>", "[click](javascript:alert(1))", "Bob*ish*")


def hostile_report(tmp_path: Path, fmt: str) -> str:
    with open_store(tmp_path / "data") as store:
        play_group(store, HOSTILE_NAMES, session_id="evil0001")  # names also in every response and note
        record = load_record(store, "evil0001")
    return render([record], fmt)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_names_and_text_are_inert_markup(tmp_path: Path, fmt: str) -> None:
    """`<script>` and `<img onerror>` appeared outside code in Markdown reports."""
    text = hostile_report(tmp_path, fmt)
    if fmt == "md":
        assert not re.search(r"(?<!\\)<(img|script|b)\b", text)
        assert not re.search(r"(?<!\\)\]\(javascript:", text)  # no live link
        assert r"\<img src=x onerror=alert(1)\>" in text
    else:
        assert "<img" not in text and "onerror=alert(1)>" not in text
        assert "&lt;img src=x onerror=alert(1)&gt;" in text


def test_a_name_with_line_breaks_cannot_inject_a_heading_or_link() -> None:
    """A name with newlines injected a heading and a javascript: link."""
    names = check_names(["Ana\n# Heading\n[x](javascript:alert(1))", "Ben"])
    assert names[0] == "Ana # Heading [x](javascript:alert(1))"
    assert "\n" not in names[0]


@pytest.mark.parametrize(("typed", "kept"), [
    ("Eve\u202egnp.exe", "Evegnp.exe"),        # right-to-left override
    ("Ma\u2066ry\u2069", "Mary"),              # bidi isolates
    ("Zo\u200bë", "Zoë"),                      # zero-width space
    ("A\x00n\x1ba", "Ana"),                    # control characters
    ("  Mary \t Jones\r\n", "Mary Jones"),     # white space of any kind
    ("Zoe\u0308", "Zoë"),                      # NFD composed
    ("مهدی\u200cزاده", "مهدی\u200cزاده"),      # the zero-width non-joiner a Persian name needs is kept
])
def test_clean_name(typed: str, kept: str) -> None:
    assert clean_name(typed) == kept


def test_names_that_clean_to_nothing_or_too_long_are_refused() -> None:
    with pytest.raises(RosterError, match="needs a name"):
        check_names(["\u202e\u200b", "Ben"])
    with pytest.raises(RosterError, match="at most 60"):
        check_names(["x" * 61, "Ben"])


def test_the_app_and_the_core_share_the_one_sanitiser() -> None:
    """The group set-up goes through check_names, solo set-up through clean_name; both are this function."""
    source = Path(__file__).resolve().parents[2] / "roleplay" / "tui" / "screens"
    assert "check_names(" in (source / "setup.py").read_text("utf-8")
    assert "clean_name(" in (source / "solo_setup.py").read_text("utf-8")


def test_bidi_controls_and_controls_never_reach_a_report() -> None:
    """Notes and responses are stored as typed, but a right-to-left override or an escape sequence in
    them is dropped from Markdown and HTML, where it would make the text read differently."""
    from roleplay.markdown_safe import html_text, md, md_quote

    typed = "grade: pass\u202e\u2066 liaf\x1b[31m <b>"
    for shown in (md(typed), md_quote(typed), html_text(typed)):
        assert not re.search("[\u202a-\u202e\u2066-\u2069\x00-\x1f]", shown), shown
    assert html_text(typed) == "grade: pass liaf[31m &lt;b&gt;"
    assert md(typed) == r"grade: pass liaf\[31m \<b\>"
