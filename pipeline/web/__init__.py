"""What people look at: the browser review (serve), the static report, Datasette (browse)."""
