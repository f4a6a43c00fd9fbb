"""``flask`` commands for running the portal in production (docs/deploy.md)."""
