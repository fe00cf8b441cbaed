"""The Gradio chat UI over `kb.KnowledgeBase`."""
