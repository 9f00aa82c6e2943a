"""Softmax recommender: a denoising autoencoder with a multinomial output (Mult-DAE).

The university notebooks' idea (multi-hot user vector → embedding → hidden layers → softmax over
all artists, trained to reconstruct masked-out artists), in the form that works best on implicit
data (Liang et al. 2018, "Variational Autoencoders for Collaborative Filtering"):

    x̃ = dropout(normalise(x))                     input row, L2-normalised, half of it masked
    h = tanh(x̃ W_in + b_in)                        (n × hidden), W_in: (n_inputs × hidden)
    z = tanh(h W_mid + b_mid)  [optional]           (n × latent)
    logits = z W_out + b_out                        (n × n_outputs), softmax over artists
    loss = −Σ_i x_i log softmax(logits)_i           multinomial log-likelihood of the full row

Artists too rare in training cannot be learned: the input layer covers artists with at least
``input_min_listeners`` listeners, the softmax those with ``min_listeners`` or more (the rest of
the catalogue scores below every learned artist, ordered by listeners). A linear item-item skip
(closed form, EASE) is added to the log-probabilities of the well-known artists. ``n_models``
networks trained from different seeds are averaged (their log-probabilities). Training uses
torch; scoring is plain numpy on the saved float32 weights, so serving needs no torch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Self

import numpy as np
import scipy.sparse as sp

from recommenders.errors import RecommenderInputError
from recommenders.interactions import Interactions
from recommenders.models.base import ArtistTags, ModelConfig, Recommender
from recommenders.models.item_item import ease_weights

INPUT_WEIGHTINGS = ("log", "binary")


@dataclass
class SoftmaxConfig(ModelConfig):
    """Hyper-parameters (chosen on seed 0, see benchmarks/tune_softmax.py)."""

    hidden: int = 200  # first layer width (the artist "embedding" of the input)
    latent: int = 0  # optional second tanh layer width; 0 = no second layer
    input_dropout: float = 0.5  # share of a user's artists masked at each step
    input_weighting: str = "log"  # "log" (log1p counts) or "binary" input row
    target_weighting: str = "log"  # what the softmax reconstructs: "log" or "binary" row
    min_listeners: int = 2  # training listeners an artist needs to get a softmax output
    input_min_listeners: int = 2  # training listeners an artist needs to count as input
    epochs: int = 40
    batch_size: int = 128
    lr: float = 1e-3
    weight_decay: float = 0.0  # L2 penalty on the weights, added to the loss per batch
    n_models: int = 1  # networks (seeds seed, seed+1, ...) whose log-probabilities are averaged
    skip_weight: float = 5.0  # weight of the linear item-item skip added to the log-probs; 0 = off
    skip_min_listeners: int = 5  # training listeners an artist needs to be in the skip
    skip_l2: float = 200.0  # ridge penalty of the closed-form skip
    seed: int = 0

    POSITIVE_INTS: ClassVar[tuple[str, ...]] = (
        "hidden", "epochs", "batch_size", "n_models", "min_listeners", "input_min_listeners",
    )  # fmt: skip
    POSITIVE: ClassVar[tuple[str, ...]] = ("skip_l2",)
    NON_NEGATIVE: ClassVar[tuple[str, ...]] = ("skip_weight", "latent")

    def check(self) -> None:
        for field in ("input_weighting", "target_weighting"):
            if getattr(self, field) not in INPUT_WEIGHTINGS:
                raise RecommenderInputError(
                    f"{field} must be one of {INPUT_WEIGHTINGS}, got {getattr(self, field)!r}."
                )
        if not 0.0 <= self.input_dropout < 1.0:
            raise RecommenderInputError(
                f"input_dropout must be in [0, 1), got {self.input_dropout!r}."
            )

    @classmethod
    def fast(cls) -> SoftmaxConfig:
        """Small settings for tests: fits the full data in a few seconds."""
        return cls(hidden=64, epochs=12, lr=3e-3)


def _input_rows(matrix: sp.csr_matrix, weighting: str) -> sp.csr_matrix:
    """Rows as the network sees them before normalisation: log counts or 0/1 (float32)."""
    m = sp.csr_matrix(matrix, dtype=np.float32, copy=True)
    m.eliminate_zeros()
    if weighting == "binary":
        m.data[:] = 1.0
    return m


def _select_columns(matrix: sp.csr_matrix, lookup: np.ndarray) -> sp.csr_matrix:
    """The columns of ``matrix`` that ``lookup`` maps to ≥ 0, renumbered by it.

    lookup: (n_columns,) new column index, or -1 to drop. Much faster than scipy's fancy column
    indexing for the one-row profiles served per request.
    """
    new = lookup[matrix.indices]
    keep = new >= 0
    kept = np.concatenate(([0], np.cumsum(keep)))
    return sp.csr_matrix(
        (matrix.data[keep], new[keep], kept[matrix.indptr]),
        shape=(matrix.shape[0], int(lookup.max()) + 1),
    )


def _lookup(items: np.ndarray, n_columns: int) -> np.ndarray:
    lookup = np.full(n_columns, -1, dtype=np.int64)
    lookup[items] = np.arange(len(items))
    return lookup


class SoftmaxModel(Recommender[SoftmaxConfig]):
    name = "softmax"
    Config = SoftmaxConfig

    # -- training --------------------------------------------------------------------------------
    def fit(self, interactions: Interactions, artist_tags: ArtistTags = None) -> Self:
        import torch

        cfg = self.config
        self._remember_shape(interactions)
        self.__dict__.pop("_lookups", None)
        x = _input_rows(interactions.matrix, cfg.input_weighting)
        target = _input_rows(interactions.matrix, cfg.target_weighting)
        listeners = interactions.listeners
        self.listeners_ = listeners.astype(np.float32)
        self.in_items_ = np.flatnonzero(listeners >= cfg.input_min_listeners).astype(np.int64)
        self.out_items_ = np.flatnonzero(listeners >= cfg.min_listeners).astype(np.int64)
        users = np.flatnonzero(np.diff(x.indptr) > 0)
        x_in = x[users][:, self.in_items_]
        y = target[users][:, self.out_items_]
        y_dense = torch.from_numpy(y.toarray())
        self.nets_ = []
        with torch.random.fork_rng(devices=[]):
            for m in range(cfg.n_models):
                torch.manual_seed(cfg.seed + 1000 * m)
                rng = np.random.default_rng(cfg.seed + 1000 * m)
                self.nets_.append(self._train_one(x_in, y_dense, rng))
        self._fit_skip(interactions.matrix, listeners)
        return self

    def _fit_skip(self, matrix: sp.csr_matrix, listeners: np.ndarray) -> None:
        """Closed-form linear item-item skip (EASE, Steck 2019) on the binary rows.

        S = I − P / diag(P), P = (XᵀX + λI)⁻¹ over artists with ≥ ``skip_min_listeners``
        listeners: (n_skip × n_skip). It catches pairwise co-listening that the narrow tanh
        bottleneck smooths away.
        """
        cfg = self.config
        floor = max(cfg.skip_min_listeners, cfg.min_listeners)
        self.skip_items_ = np.flatnonzero(listeners >= floor).astype(np.int64)
        if cfg.skip_weight == 0 or len(self.skip_items_) == 0:
            self.skip_items_ = self.skip_items_[:0]
            self.skip_ = np.zeros((0, 0), dtype=np.float32)
            return
        binary = _input_rows(matrix, "binary").tocsc()[:, self.skip_items_]
        self.skip_ = ease_weights(binary, cfg.skip_l2)

    def _train_one(
        self, x_in: sp.csr_matrix, y_dense: Any, rng: np.random.Generator
    ) -> dict[str, np.ndarray]:
        """Train one network; returns its float32 weights as numpy arrays."""
        import torch
        import torch.nn.functional as F

        cfg = self.config
        n_in, n_out = x_in.shape[1], y_dense.shape[1]
        bag = torch.nn.EmbeddingBag(n_in, cfg.hidden, mode="sum")
        torch.nn.init.xavier_uniform_(bag.weight)
        b_in = torch.nn.Parameter(torch.zeros(cfg.hidden))
        layers: list[torch.nn.Linear] = []
        width = cfg.hidden
        if cfg.latent:
            layers.append(torch.nn.Linear(cfg.hidden, cfg.latent))
            width = cfg.latent
        out = torch.nn.Linear(width, n_out)
        for layer in [*layers, out]:
            torch.nn.init.xavier_uniform_(layer.weight)
            torch.nn.init.zeros_(layer.bias)
        weights = [bag.weight] + [layer.weight for layer in [*layers, out]]
        params = [*weights, b_in] + [layer.bias for layer in [*layers, out]]
        opt = torch.optim.Adam(params, lr=cfg.lr, foreach=True)

        indptr, indices, data = x_in.indptr, x_in.indices, x_in.data
        n_users = x_in.shape[0]
        keep = 1.0 - cfg.input_dropout
        for _ in range(cfg.epochs):
            order = rng.permutation(n_users)
            for start in range(0, n_users, cfg.batch_size):
                rows = order[start : start + cfg.batch_size]
                idx, val, offsets = _gather(indptr, indices, data, rows)
                # Normalise, then mask: dropout rescales survivors by 1/keep (Mult-DAE order).
                bag_of = np.repeat(np.arange(len(rows)), np.diff(np.append(offsets, len(val))))
                norms = np.sqrt(np.bincount(bag_of, weights=val**2, minlength=len(rows)))
                val = val / norms[bag_of]
                if cfg.input_dropout > 0:
                    mask = rng.random(len(val)) < keep
                    val = np.where(mask, val / keep, 0.0).astype(np.float32)
                h = torch.tanh(
                    bag(
                        torch.from_numpy(idx),
                        torch.from_numpy(offsets),
                        per_sample_weights=torch.from_numpy(val.astype(np.float32)),
                    )
                    + b_in
                )
                for layer in layers:
                    h = torch.tanh(layer(h))
                logp = F.log_softmax(out(h), dim=1)
                loss = -(logp * y_dense[rows]).sum(dim=1).mean()
                if cfg.weight_decay:
                    loss = loss + cfg.weight_decay * sum((w**2).sum() for w in weights)
                opt.zero_grad()
                loss.backward()
                opt.step()

        net = {"w_in": bag.weight, "b_in": b_in, "w_out": out.weight.T, "b_out": out.bias}
        if layers:
            net.update(w_mid=layers[0].weight.T, b_mid=layers[0].bias)
        return {
            k: np.ascontiguousarray(v.detach().numpy(), dtype=np.float32) for k, v in net.items()
        }

    # -- scoring ---------------------------------------------------------------------------------
    def score(self, profiles: sp.csr_matrix) -> np.ndarray:
        """(n × n_artists) float32: mean log-probabilities of the networks (eval mode, no mask)
        plus ``skip_weight`` × the item-item skip scores of the binary profile.

        Artists outside the softmax score below the lowest learned artist of each row, ordered
        by listeners, so rankings stay total.
        """
        profiles = self._check_profiles(profiles)
        x = _select_columns(
            _input_rows(profiles, self.config.input_weighting), self._column_lookup("in_items_")
        )
        norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
        x = sp.diags(1.0 / np.maximum(norms, 1e-12)).astype(np.float32) @ x
        logp = np.zeros((profiles.shape[0], len(self.out_items_)), dtype=np.float32)
        for net in self.nets_:
            logp += _log_softmax(self._forward(net, x))
        logp /= len(self.nets_)
        if len(self.skip_items_):
            binary = _select_columns(
                _input_rows(profiles, "binary"), self._column_lookup("skip_items_")
            )
            skip_pos = np.searchsorted(self.out_items_, self.skip_items_)
            logp[:, skip_pos] += self.config.skip_weight * np.asarray(binary @ self.skip_)
        result = np.empty((profiles.shape[0], self.n_artists_), dtype=np.float32)
        floor = logp.min(axis=1, keepdims=True) - 1.0
        tie = 0.5 * self.listeners_ / (self.listeners_.max() + 1.0)
        result[:] = floor + tie[None, :]
        result[:, self.out_items_] = logp
        return result

    def _column_lookup(self, name: str) -> np.ndarray:
        """Cached column lookup (see _select_columns) for ``in_items_`` or ``skip_items_``."""
        cache = self.__dict__.setdefault("_lookups", {})
        if name not in cache:
            cache[name] = _lookup(getattr(self, name), self.n_artists_)
        return cache[name]

    @staticmethod
    def _forward(net: dict[str, np.ndarray], x: sp.csr_matrix) -> np.ndarray:
        """Logits (n × n_outputs) of one network for normalised input rows x (n × n_inputs)."""
        h = np.tanh(np.asarray(x @ net["w_in"]) + net["b_in"])
        if "w_mid" in net:
            h = np.tanh(h @ net["w_mid"] + net["b_mid"])
        return h @ net["w_out"] + net["b_out"]

    def similar(self, column: int) -> np.ndarray:
        """(n_artists,) cosine similarity of output embeddings (columns of W_out), mean over nets.

        Artists without a softmax output fall back to scoring a one-artist profile.
        """
        self._check_fitted()
        pos = np.searchsorted(self.out_items_, column)
        if pos >= len(self.out_items_) or self.out_items_[pos] != column:
            return super().similar(column)
        sims = np.zeros(len(self.out_items_), dtype=np.float32)
        for net in self.nets_:
            emb = net["w_out"].T
            emb = emb / np.maximum(np.linalg.norm(emb, axis=1, keepdims=True), 1e-12)
            sims += emb @ emb[pos]
        sims /= len(self.nets_)
        result = np.full(self.n_artists_, -1.0, dtype=np.float32)
        result[self.out_items_] = sims
        return result

    # -- persistence -----------------------------------------------------------------------------
    def _arrays(self) -> dict[str, np.ndarray]:
        arrays = {
            "in_items": self.in_items_,
            "out_items": self.out_items_,
            "listeners": self.listeners_,
            "skip_items": self.skip_items_,
            "skip": self.skip_,
        }
        for m, net in enumerate(self.nets_):
            arrays.update({f"net{m}.{k}": v for k, v in net.items()})
        return arrays

    def _meta(self) -> dict[str, Any]:
        return {"n_nets": len(self.nets_)}

    def _restore(self, arrays: dict[str, np.ndarray], state: dict[str, Any]) -> None:
        self.in_items_ = arrays["in_items"]
        self.out_items_ = arrays["out_items"]
        self.listeners_ = arrays["listeners"]
        self.skip_items_ = arrays["skip_items"]
        self.skip_ = arrays["skip"]
        self.nets_ = []
        for m in range(int(state["n_nets"])):
            prefix = f"net{m}."
            self.nets_.append(
                {k[len(prefix) :]: v for k, v in arrays.items() if k.startswith(prefix)}
            )


def _gather(
    indptr: np.ndarray, indices: np.ndarray, data: np.ndarray, rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Flattened (column indices, values, bag offsets) of CSR rows, for nn.EmbeddingBag."""
    starts, ends = indptr[rows], indptr[rows + 1]
    lengths = ends - starts
    offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    pos = np.repeat(starts - offsets, lengths) + np.arange(lengths.sum())
    return indices[pos].astype(np.int64), data[pos].astype(np.float32), offsets


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise log-softmax (n × m), float32, numerically stable."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    return (shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))).astype(np.float32)
