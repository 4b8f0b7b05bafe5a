"""The Streamlit faces: thin pages over ``selection`` services and queries."""
