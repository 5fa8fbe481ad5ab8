"""The Examples blocks of the package's docstrings run and give what they show (the installed package's modules)."""

import doctest
import importlib
import pkgutil

import pytest

import asnclf

MODULES = sorted(info.name for info in pkgutil.walk_packages(asnclf.__path__, "asnclf."))


@pytest.mark.parametrize("name", MODULES)
def test_module_examples_hold(name):
    module = importlib.import_module(name)
    failed, _ = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
    assert failed == 0, f"{name}: {failed} example(s) gave other output"


def test_the_classes_with_examples_are_checked():
    finder = doctest.DocTestFinder()
    examples = {test.name for name in MODULES for test in finder.find(importlib.import_module(name)) if test.examples}
    assert {"asnclf.model.context.ContextStage", "asnclf.model.act_topic.ActTopicClassifier"} <= examples
