"""The Gradio chat UI over `kb.KnowledgeBase`."""

from kb.settings import disable_telemetry

disable_telemetry()  # before gradio is imported by any module of this package
