"""Optional generative answers: an OpenAI-compatible chat client, the prompt, streaming with the
extractive answer as the fallback, and the check of the model's citations against the passages."""
