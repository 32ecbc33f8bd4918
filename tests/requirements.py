"""Skipping honestly: a test that needs a component the machine lacks skips and says so,
unless CI lists that component in REQUIRE_COMPONENTS, where its absence is a failure."""

import os

import pytest


def required_components():
    return {item.strip() for item in os.environ.get("REQUIRE_COMPONENTS", "").split(",") if item}


def skip_unless_available(component, available, reason):
    """Call at the start of a test or fixture needing `component`."""
    if available:
        return
    message = f"{component} is not available: {reason}"
    if component in required_components():
        pytest.fail(f"{message} (REQUIRE_COMPONENTS lists it, so this is a failure)")
    pytest.skip(message)
