"""`python -m recommenders.spotify`: see `recommenders.spotify.cli`."""

from recommenders.spotify.cli import main

if __name__ == "__main__":
    main()
