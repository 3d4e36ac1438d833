"""Shell: the `giamsat` command line. Each module holds one command or group."""
