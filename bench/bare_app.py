"""The floor the page benchmarks compare against: an entrypoint that navigates to one bare page.

It is shaped like app.py (page config, st.navigation, page.run()) with nothing of ours in it.
"""

import streamlit as st

st.set_page_config(page_title="Bare page", layout="wide")
page = st.navigation([st.Page("bare_page.py", title="Bare page", default=True)])
page.run()
