SECRET_KEY = "benchmark-only-key"
