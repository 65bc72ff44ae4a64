"""What qbtui keeps on disk for the user: the config file, the UI state, saved views, the servers
and where passwords and API keys come from."""
