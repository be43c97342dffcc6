"""Uploads: streamed multipart bodies, checked and measured, never held whole in memory."""
