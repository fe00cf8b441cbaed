"""Everything HTTP without Gradio: the FastAPI server, the OpenAI-compatible and REST routes, who
may call them, and the citation pages (a PDF page with highlights, a document's text, the file).

Apart from ``ui`` so that a script, a chat client or the citation pages never need Gradio, and so
the API can be read and tested on its own; ``ui`` mounts the chat onto the app built here.
"""
