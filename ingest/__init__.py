"""Ingestion: readers per format (PDF, Office, HTML, text, OCR), cleaning, chunking, page geometry
and the pipeline that writes through ``kb.KnowledgeBase``. The `kb` command is in ``kbcli``."""
