"""Material's search parse a piece at a time (generator.searchparse): the same sections
as Material's parse of the whole page, whatever was kept from the page's last parse."""

from __future__ import annotations

from typing import Any

import pytest
from material.plugins.search.plugin import Parser, SearchIndex

from generator.searchparse import PROBE, ROWS_KEPT, RowParses, parsing


def seen(sections: list[Any]) -> list[tuple[object, ...]]:
    return [(repr(s), s.id, s.is_excluded(), s.depth, s.title, s.text) for s in sections]


def whole(html: str) -> list[tuple[object, ...]]:
    parser = Parser()
    parser.feed(html)
    parser.close()
    return seen(parser.data)


def rows(n: int, cell: str = "程序 {n}") -> str:
    return "".join(
        f'<tr>\n<td><a href="../{k}/">QP-{k}</a></td>\n<td>{cell.format(n=k)}</td>\n</tr>\n'
        for k in range(n)
    )


def table(body: str, preface: str = "<p>前言</p>") -> str:
    return f'<h1 id="t">标题</h1>\n{preface}\n<table>\n<tbody>\n{body}</tbody>\n</table>\n'


def sections(n: int, title: str = "程序 {n}") -> str:
    return "".join(
        f'<h3 id="s{k}">{title.format(n=k)}<a class="headerlink" href="#s{k}">¶</a></h3>\n'
        f'<p><a href="../{k}/">链接 {k}</a></p>\n<div data-itsms-block="{k}"></div>\n\n'
        for k in range(n)
    )


def test_an_edited_row_is_parsed_and_the_others_are_taken_from_the_last_parse() -> None:
    parses = RowParses()
    first = table(rows(200))
    assert seen(parses.sections(Parser, "p/", first)) == whole(first)
    assert parses.taken == 0
    edited = first.replace("程序 17<", "程序 17 改<")
    got = parses.sections(Parser, "p/", edited)
    assert seen(got) == whole(edited)
    assert parses.taken == 198  # all but the edited one and the last (it ends the table)
    assert "程序 17 改" in "".join(got[0].text)


def test_an_edited_section_is_parsed_and_the_others_are_taken() -> None:
    parses = RowParses()
    first = '<h1 id="r">矩阵</h1>\n' + sections(100)
    assert seen(parses.sections(Parser, "raci/", first)) == whole(first)
    edited = first.replace("程序 5<", "程序 5 改<")
    got = seen(parses.sections(Parser, "raci/", edited))
    assert got == whole(edited)
    assert parses.taken == 99
    assert got[6][4] == ["程序 5 改"]


def test_a_row_is_taken_only_in_the_state_it_was_parsed_in() -> None:
    """A row opening on a line break after a text gives a space; after a space, none."""
    row = "<tr>\n<td>甲</td></tr>"
    page = table(f"{row}{row}\n" * ROWS_KEPT)
    assert seen(RowParses().sections(Parser, "p/", page)) == whole(page)


def test_a_row_with_a_tag_material_keeps_is_parsed_in_its_page() -> None:
    """Material looks for an empty <code>'s opening from the section's start: the same
    row gives other text after a preface with code."""
    body = rows(ROWS_KEPT + 4, "<code> </code>{n}")
    parses = RowParses()
    plain = table(body)
    assert seen(parses.sections(Parser, "p/", plain)) == whole(plain)
    coded = table(body, "<p><code>x</code></p>")
    assert whole(coded) != whole(plain)
    assert seen(parses.sections(Parser, "p/", coded)) == whole(coded)


@pytest.mark.parametrize(
    "page",
    [
        PROBE,
        table(rows(ROWS_KEPT + 2) + "<tr><td>a &amp</td></tr>" + rows(3)),
        table(rows(ROWS_KEPT + 2), "<div data-search-exclude>") + "</div>\n" + sections(ROWS_KEPT),
        "<div>\n" + sections(ROWS_KEPT) + "</div>\n" + sections(3),
        "<!-- <tr> -->" + table(rows(ROWS_KEPT) + "<tr><td title='<tr>'>x</td></tr>"),
        "<pre>" + table(rows(ROWS_KEPT)) + "</pre>",
        table(rows(ROWS_KEPT)).replace("<tr>", "<TR >"),
    ],
)
def test_odd_pages_parse_as_material_parses_them(page: str) -> None:
    parses = RowParses()
    for _ in range(2):
        assert seen(parses.sections(Parser, "p/", page)) == whole(page)


def test_material_search_entries_are_the_same_through_the_parse() -> None:
    """The entries ``parsing`` adds for a page are Material's own."""

    class Page:
        url = "procedures/"
        title = "程序"
        meta: dict[str, Any] = {"tags": ["甲"]}
        toc: list[Any] = []
        content = table(rows(300)) + sections(100)

    ours, theirs = SearchIndex(), SearchIndex()
    add = parsing(ours, ours.add_entry_from_context, RowParses())
    for _ in range(2):
        add(Page())
    theirs.add_entry_from_context(Page())
    theirs.add_entry_from_context(Page())
    assert ours.entries == theirs.entries


def test_another_parse_is_left_to_material() -> None:
    """When the probe page's entries differ (another Material), Material's own parse
    is what adds a page."""
    index = SearchIndex()
    calls = []

    def original(page: Any) -> None:
        calls.append(page)
        index.entries.append({"location": "x", "title": "", "text": "another"})

    add = parsing(index, original, RowParses())
    page = object()
    add(page)
    assert calls[-1] is page


def test_a_build_keeps_the_pieces_of_a_page_parsed_twice_only() -> None:
    """A build parses each page once: keeping its pieces would be memory for nothing."""
    parses = RowParses(keep=False)
    page = table(rows(200))
    for n in range(3):
        assert seen(parses.sections(Parser, "p/", page)) == whole(page)
        assert ("p/" in parses.kept, parses.taken > 0) == (n > 0, n > 1)
