"""Search: every title, paragraph and milestone holding the words of the search filter."""

import re

import streamlit as st

from lib import queries, ui

stamp, filters, vocabulary = ui.page_header(
    "Search",
    "Searches titles, objectives, narratives and milestone descriptions. Type in the sidebar's "
    "search box; every word must appear somewhere in an initiative.",
)

if not filters.q:
    st.info("Type a word or phrase in **Search text** in the sidebar.")
    st.stop()

hits = queries.search(stamp, filters)
words = queries.search_words(filters.q)
pattern = re.compile("|".join(queries.word_start(w) for w in words), re.IGNORECASE)
st.caption(f"{len(hits)} passages in {hits['initiative_id'].nunique()} initiatives.")


def snippet(text: str, width: int = 320) -> str:
    """The passage around the first word found, words in bold, everything else inert."""
    first = min((found.start() for found in pattern.finditer(text)), default=0)
    start = max(0, first - width // 3)
    cut = text[start : start + width]
    pieces, last = [], 0
    for found in pattern.finditer(cut):
        pieces.append(ui.escape_markdown(cut[last : found.start()]))
        pieces.append(f"**{ui.escape_markdown(found.group())}**")
        last = found.end()
    pieces.append(ui.escape_markdown(cut[last:]))
    return ("… " if start else "") + "".join(pieces) + (" …" if start + width < len(text) else "")


for hit in hits.head(200).itertuples():
    with st.container(border=True):
        st.markdown(
            f"**{ui.escape_markdown(hit.phase)} \\| {ui.escape_markdown(hit.title)}** · "
            f"{hit.found_in} · source line {hit.source_line}"
        )
        st.markdown(snippet(hit.text))
if len(hits) > 200:
    st.caption(f"Showing the first 200 of {len(hits)} passages; the CSV holds them all.")

ui.csv_download(hits, "search-hits", filters, key="csv_search")
