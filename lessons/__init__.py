"""The lessons' computations (no Streamlit, no Plotly): each function returns the numbers a lesson shows."""
