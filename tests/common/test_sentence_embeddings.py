"""The sentence model that finds projects described in other words (common.sentence_embeddings)."""

import json
import logging

import numpy as np
import pytest
from safetensors.numpy import save_file
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors

from common import sentence_embeddings as se


@pytest.fixture(scope="module")
def minilm():
    # Installed by `make install` (model-requirements.txt), checked against the upstream hashes.
    return se.load_package_model()


def test_the_installed_model_gives_the_published_similarities(minilm):
    # The example of sentence-transformers' documentation for all-MiniLM-L6-v2.
    food, bread, horse = minilm.encode(
        ["A man is eating food.", "A man is eating a piece of bread.", "A man is riding a horse."]
    )
    assert float(food @ bread) == pytest.approx(0.7553, abs=2e-3)
    assert float(food @ horse) == pytest.approx(0.2474, abs=2e-3)


def test_vectors_are_unit_length_and_do_not_depend_on_the_batch(minilm):
    long = "Replace the spreadsheet-based hiring process with an applicant tracking system for all roles."
    alone = minilm.encode(["Payroll"])[0]
    batched = minilm.encode([long, "Payroll", ""])
    assert np.linalg.norm(batched, axis=1) == pytest.approx([1.0, 1.0, 1.0], abs=1e-5)
    # Padding to the longest text of a batch must not leak into a shorter one.
    assert np.abs(batched[1] - alone).max() < 1e-5


def test_a_paraphrase_is_closer_than_a_project_of_the_same_department(minilm):
    draft, same, other = minilm.encode(
        [
            "Anticipate machine breakdowns in the plant.",
            "Predictive maintenance for production lines.",
            "Canteen menu planning for the plant.",
        ]
    )
    assert draft @ same > draft @ other


def test_vectors_round_trip_through_bytes():
    vector = np.array([0.25, -1.5, 3.0], dtype=np.float32)
    assert se.vector_from_bytes(se.vector_to_bytes(vector)).tolist() == [0.25, -1.5, 3.0]


# --- Loading: a model of one's own, and refusing what is not the model ------------------------------


def _tiny_model(path, *, hidden=8, heads=2, layers=2):
    """A random two-layer BERT with a word-level vocabulary, written as the upstream files are."""
    words = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "payroll", "party", "summer", "one"]
    vocab = {w: i for i, w in enumerate(words)}
    tokenizer = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.Lowercase()
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", 2), ("[SEP]", 3)]
    )
    tokenizer.save(str(path / "tokenizer.json"))
    rng = np.random.default_rng(0)

    def r(*shape):
        return rng.normal(0, 0.3, shape).astype(np.float32)

    tensors = {
        "embeddings.word_embeddings.weight": r(len(vocab), hidden),
        "embeddings.position_embeddings.weight": r(32, hidden),
        "embeddings.token_type_embeddings.weight": r(2, hidden),
        "embeddings.LayerNorm.weight": np.ones(hidden, np.float32),
        "embeddings.LayerNorm.bias": np.zeros(hidden, np.float32),
    }
    for layer in range(layers):
        p = f"encoder.layer.{layer}."
        for name, (out, inp) in {
            "attention.self.query": (hidden, hidden),
            "attention.self.key": (hidden, hidden),
            "attention.self.value": (hidden, hidden),
            "attention.output.dense": (hidden, hidden),
            "intermediate.dense": (4 * hidden, hidden),
            "output.dense": (hidden, 4 * hidden),
        }.items():
            tensors[p + name + ".weight"], tensors[p + name + ".bias"] = r(out, inp), r(out)
        for norm in ("attention.output.LayerNorm", "output.LayerNorm"):
            tensors[p + norm + ".weight"] = np.ones(hidden, np.float32)
            tensors[p + norm + ".bias"] = np.zeros(hidden, np.float32)
    save_file(tensors, str(path / "model.safetensors"))
    config = {"model_type": "bert", "hidden_act": "gelu", "num_hidden_layers": layers}
    config |= {"num_attention_heads": heads, "hidden_size": hidden, "layer_norm_eps": 1e-12}
    (path / "config.json").write_text(json.dumps(config))
    return path


def test_a_model_directory_is_loaded_and_named_by_its_weights(tmp_path):
    model = se.load_directory_model(_tiny_model(tmp_path))
    vectors = model.encode(["Summer party", "payroll", "one summer party"])
    assert vectors.shape == (3, 8)
    assert np.linalg.norm(vectors, axis=1) == pytest.approx([1.0, 1.0, 1.0], abs=1e-5)
    assert model.name.startswith("sha256:") and len(model.name) == len("sha256:") + 16


def test_a_broken_model_directory_is_refused_with_the_reason(tmp_path):
    _tiny_model(tmp_path)
    config = json.loads((tmp_path / "config.json").read_text())
    (tmp_path / "config.json").write_text(json.dumps(config | {"hidden_size": 16}))
    with pytest.raises(se.ModelError, match="do not match config.json"):
        se.load_directory_model(tmp_path)
    (tmp_path / "model.safetensors").unlink()
    with pytest.raises(se.ModelError, match="cannot read the model"):
        se.load_directory_model(tmp_path)


def test_package_files_that_are_not_the_upstream_model_are_refused(monkeypatch, caplog):
    monkeypatch.setattr(se, "UPSTREAM_MODEL_SHA256", "0" * 64)
    with pytest.raises(se.ModelError, match="not those of all-MiniLM-L6-v2"):
        se.load_package_model()
    se._load.cache_clear()
    try:
        with caplog.at_level(logging.ERROR, logger="common.sentence_embeddings"):
            assert se._load("auto") is None  # words only, and said so in the log
        assert "could not be loaded" in caplog.text
    finally:
        se._load.cache_clear()


def test_off_means_no_model(settings):
    settings.HIVE_SEMANTIC_MODEL = "off"
    assert se.encoder() is None
