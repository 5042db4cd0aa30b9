"""One st.write and one small plotly chart: what any Streamlit page with a chart costs."""

import plotly.graph_objects as go
import streamlit as st

# The benchmarks change this value between reruns, as ours change a filter.
st.write("A bare page, rerun", st.session_state.get("bare_choice", 0))
st.plotly_chart(go.Figure(go.Bar(x=["a", "b", "c"], y=[1, 3, 2])), key="bare_chart")
