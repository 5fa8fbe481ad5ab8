"""The labeled data: raw articles and annotations into labeled sentences, the Hugging Face dataset, corpus statistics."""
