"""One module per scenario; each takes the run options and adds metrics to a `Run`."""
