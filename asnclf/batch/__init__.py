"""Batch scoring of article files (`asnclf score`): inputs, outputs, resume journal, HTML page, locks, engines."""
