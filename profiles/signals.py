"""Signals profiles sends to the apps built on it, which it does not import."""

from django.dispatch import Signal

# Sent after the commit of an HR import that deactivated or reactivated accounts, with
# `user_ids`: whoever counts active people (expertise's "N people" on skills) recounts.
accounts_activation_changed = Signal()
