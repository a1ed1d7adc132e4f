"""The browser app (Solara)."""
