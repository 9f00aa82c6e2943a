"""Development tools: commands that write committed data files. Never imported by the package,
the app or the build (their dependencies are in requirements-dev.txt only)."""
