"""Search: passages holding the words, at the start of a word, highlighted, with their line."""

from tests.apptest import open_page, shown


def test_search_page_lists_passages_with_source_lines(app_db):
    app = open_page("search", q="mental health")
    assert shown(app.caption[-1].value) == "15 passages in 4 initiatives."
    headings = [shown(m.value) for m in app.markdown if "source line" in m.value]
    assert (
        "**LEARN | LEARN** · narrative · source line 139" in headings
    )  # "Providing mental health…"


def test_words_match_at_word_starts_only(app_db):
    app = open_page("search", q="mental")
    passages = " ".join(shown(m.value) for m in app.markdown)
    assert "**mental**" in passages.lower()
    assert "environ**mental**" not in passages.lower()


def test_matches_are_highlighted_and_the_rest_is_inert(app_db):
    app = open_page("search", q="bus")
    snippets = [m.value for m in app.markdown if "**" in m.value and "source line" not in m.value]
    assert any("**bus**" in s.lower() for s in snippets)
    assert all("](" not in s for s in snippets)


def test_search_with_regex_characters_finds_nothing_and_fails_nothing(app_db):
    app = open_page("search", q="a.b (x [y")
    assert not app.exception
    assert shown(app.caption[-1].value) == "0 passages in 0 initiatives."
