"""The blog example's project package."""
