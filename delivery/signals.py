"""Signals other apps listen to (e.g. newsletters marks a subscriber bounced or complained)."""

from django.dispatch import Signal

# Sent once when an address becomes suppressed: kwargs `address` (normalised), `reason`
# (a Suppression.Reason value) and `detail`.
address_suppressed = Signal()
