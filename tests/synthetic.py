"""A small synthetic listening matrix with known structure, for tests of every model."""

from __future__ import annotations

import numpy as np
import pandas as pd

from recommenders.interactions import Interactions

N_GROUPS = 3
ARTISTS_PER_GROUP = 20
USERS_PER_GROUP = 60


def taste_groups(seed: int = 0) -> Interactions:
    """Users in 3 taste groups; each listens to ~8 of their group's 20 artists (ids 100..159).

    Artist ids are offset (not 0..n) so tests catch code that mixes ids with column indices;
    user ids are 1000 + row. Listening counts are heavy-tailed like the real data.
    """
    rng = np.random.default_rng(seed)
    rows = []
    for group in range(N_GROUPS):
        artists = 100 + group * ARTISTS_PER_GROUP + np.arange(ARTISTS_PER_GROUP)
        # A few artists per group are much more popular, as in real data.
        weights = np.linspace(3.0, 1.0, ARTISTS_PER_GROUP)
        for u in range(USERS_PER_GROUP):
            user_id = 1000 + group * USERS_PER_GROUP + u
            picked = rng.choice(artists, size=8, replace=False, p=weights / weights.sum())
            for artist_id in picked:
                rows.append((user_id, int(artist_id), int(rng.lognormal(5.0, 1.5)) + 1))
    table = pd.DataFrame(rows, columns=["user_id", "artist_id", "weight"])
    return Interactions.from_user_artists(table)


def group_of(artist_id: int) -> int:
    return (artist_id - 100) // ARTISTS_PER_GROUP
