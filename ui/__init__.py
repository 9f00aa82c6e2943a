"""The Gradio UI: one module per tab, shared pieces in ui.common; no model code here."""
