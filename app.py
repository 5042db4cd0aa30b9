"""100-Day Plan Explorer: the entrypoint. It builds the navigation and the shared filters."""

import streamlit as st

from lib import filter_panel, queries
from lib.db import DatabaseUnavailable, current_stamp
from lib.filters import Vocabulary

st.set_page_config(
    page_title="100-Day Plan Explorer", page_icon=":material/event_note:", layout="wide"
)

PAGES = [
    st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
    st.Page("pages/timeline.py", title="Timeline", icon=":material/view_timeline:"),
    st.Page("pages/initiatives.py", title="Initiatives", icon=":material/list_alt:"),
    st.Page("pages/search.py", title="Search", icon=":material/search:"),
    st.Page("pages/quality.py", title="Data quality", icon=":material/rule:"),
    st.Page("pages/dictionary.py", title="Data dictionary", icon=":material/menu_book:"),
]

page = st.navigation(PAGES)

try:
    stamp = current_stamp()
    titles = queries.vocabulary(stamp)
except DatabaseUnavailable as problem:
    st.error(str(problem), icon=":material/database:")
    st.stop()

vocabulary = Vocabulary(dict(zip(titles["initiative_id"], titles["title"], strict=True)))
filter_panel.sync_from_url(vocabulary, page.url_path)
filters = filter_panel.render(vocabulary)
filter_panel.write_to_url(filters)
st.session_state.update(stamp=stamp, filters=filters, vocabulary=vocabulary)

try:
    page.run()
except DatabaseUnavailable as problem:
    st.error(str(problem), icon=":material/database:")
