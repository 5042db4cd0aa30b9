"""100-Day Plan Explorer: the entrypoint. It builds the navigation and the shared filters."""

import streamlit as st

from lib import filter_panel
from lib.db import DatabaseUnavailable

st.set_page_config(page_title="100-Day Plan Explorer", page_icon="🗓️", layout="wide")

PAGES = [
    st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
    st.Page("pages/timeline.py", title="Timeline", icon=":material/view_timeline:"),
    st.Page("pages/initiatives.py", title="Initiatives", icon=":material/list_alt:"),
    st.Page("pages/search.py", title="Search", icon=":material/search:"),
    st.Page("pages/metrics.py", title="Metrics", icon=":material/monitoring:"),
    st.Page("pages/quality.py", title="Data quality", icon=":material/rule:"),
    st.Page("pages/dictionary.py", title="Data dictionary", icon=":material/menu_book:"),
]

page = st.navigation(PAGES)

try:
    filter_panel.set_up()
except DatabaseUnavailable as problem:
    st.error(str(problem), icon=":material/database:")
    st.stop()

try:
    page.run()
except DatabaseUnavailable as problem:
    st.error(str(problem), icon=":material/database:")
