"""The store in processes of its own: started by the suite (`--live-server`), or already
running (`--base-url`), with the real SMTP sink and payment provider beside it."""
