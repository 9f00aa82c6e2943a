"""The Gradio UI: one module per tab plus shared pieces (inputs, cards, export, errors, style).

It talks to ``recommenders.bundle.Bundle`` only: no model code, no matrix columns here."""
