"""From ranked passages to the reader's answer: candidate sentences and their evidence, the fitted
sentence and answer models, refusals, overview questions and follow-ups."""
