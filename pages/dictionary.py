"""Data dictionary: every table and column of the database, as described in its schema."""

import streamlit as st

from lib import queries, ui

stamp, filters, vocabulary = ui.page_header(
    "Data dictionary",
    "What each table and column holds. The same text is in the database "
    "(COMMENT ON), in the README and in every zip export.",
    filtered=False,
)
dictionary = queries.dictionary(stamp)
info = queries.build_info(stamp).iloc[0]
st.caption(
    f"Built from {info['source_file']} (SHA-256 {info['source_sha256'][:16]}…) at "
    f"{info['built_at']:%Y-%m-%d %H:%M} UTC."
)

for table, columns in dictionary.groupby("table", sort=False):
    with st.expander(f"**{table}**: {columns['table_description'].iloc[0]}"):
        st.dataframe(columns[["column", "type", "description"]], hide_index=True)
ui.csv_download(dictionary, "data-dictionary", filters, key="csv_dictionary")
