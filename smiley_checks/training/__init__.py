"""Train a submitted model with a fixed protocol and judge how reliably it learns."""
