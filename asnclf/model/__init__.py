"""The trained model: the tagger users call, the saved artifact, the pickle-free scoring form, the article context."""
