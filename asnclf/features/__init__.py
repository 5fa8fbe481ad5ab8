"""Sentence features: the feature blocks, Indonesian cue words, number kinds, word counts, the behaviour probe."""
