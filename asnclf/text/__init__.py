"""Text as the model reads it: sentence segmentation with offsets, page boilerplate, tokens."""
