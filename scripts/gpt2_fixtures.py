#!/usr/bin/env python3
"""Fixtures for GPT-2 support: a tiny random-weight Hugging Face GPT-2 checkpoint, a byte-level BPE
trained locally, and goldens from `tokenizers`, `transformers` and TransformerLens 3.9.

Writes (all small, committed; CI never runs Python):

    Tests/TransformerTests/Fixtures/gpt2-tiny/       config.json, model.safetensors, vocab.json, merges.txt
                                                     (a Hugging Face GPT-2 directory, as save_pretrained
                                                     writes it: Conv1D layout, fused c_attn, tied lm_head)
    Tests/TransformerTests/Fixtures/gpt2_tokenizer.golden.json
                                                     [{"text", "ids", "str_tokens"}] for 200+ tricky strings,
                                                     ids from `tokenizers` (no <|endoftext|> prepended),
                                                     str_tokens as TL's to_str_tokens (decode of each id)
    Tests/TransformerTests/Fixtures/gpt2_tiny.golden.safetensors
                                                     per prompt: tokens (with <|endoftext|> first), log-probs
                                                     and hidden states from GPT2LMHeadModel; every TL hook of
                                                     the processed model (fold_ln, center_writing_weights,
                                                     center_unembed, fold_value_biases: from_pretrained's
                                                     defaults); TL's processed weights; greedy generation
    Tests/TensorTests/Fixtures/half_precision.safetensors
                                                     F16 and BF16 tensors (normals, subnormals, ±0, ±inf, NaN)
                                                     beside their exact F32 values

    /work/venv/bin/python scripts/gpt2_fixtures.py

The checkpoint: 2 layers, d_model 48, 4 heads, n_positions 64, GELU (tanh), random LayerNorm weights
and biases and random linear biases (so folding and value-bias folding are exercised). The BPE: trained
with `tokenizers` on a mixed corpus (punctuation, digits, whitespace runs, accents, CJK, emoji, CRLF),
256 byte symbols plus merges (Wang et al.'s IOI names among them, so the appendix lesson's blocks
run on it), <|endoftext|> appended last as in GPT-2.
"""
import json
import os
import random
import shutil

import numpy as np
import torch
from safetensors.numpy import save_file as save_numpy
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import GPT2Config, GPT2LMHeadModel

import ioi_wang_pairs

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "Tests", "TransformerTests", "Fixtures")
CHECKPOINT = os.path.join(FIXTURES, "gpt2-tiny")
EOT = "<|endoftext|>"

# ---------------------------------------------------------------- the corpus and the tokenizer

NAMES = ["Mary", "John", "Alice", "Bob", "Tom", "Anna", "James", "Kate", "Paul", "Lisa", "Sarah", "David"]
PLACES = ["store", "park", "school", "garden", "office", "house", "station", "beach"]
OBJECTS = ["drink", "book", "ball", "ring", "bag", "apple", "key", "letter"]

MIXED = [
    "Hello, world! How's it going? I'm fine; you'll see. They've done it, we'd say.",
    "DON'T SHOUT. It's 3:45 p.m. on 2024-01-31 — costs $1,234.56 (approx.) or 7.5%.",
    "Numbers: 0 1 22 333 4444 55555 123456789 3.14159 2.71828 1e-5 0x1F #42 @user",
    "Punctuation!!! ??? ... --- *** ((nested)) [brackets] {braces} <tags> \"quotes\" 'single'",
    "Whitespace    runs\tand\ttabs\n\nnew lines\r\nWindows lines\r\n   leading and trailing   ",
    "Accents: café, naïve, résumé, Zürich, São Paulo, Ångström, façade, jalapeño, Dvořák.",
    "Ελληνικά κείμενα, русский текст, עברית, العربية, हिन्दी, 한국어 문장.",
    "CJK: 日本語のテキスト、中文文本，漢字とかな。東京 北京 上海 大阪。",
    "Emoji: 👋🏽 😀 🎉 👨‍👩‍👧 🇫🇷 ❤️ ✨ 🚀 — mixed with text 😀😀😀.",
    "def square(x):\n    return x ** 2  # code with    spaces\n\nprint(square(12))\n",
    "URLs like https://example.org/path?q=1&r=2 and emails name@example.com appear too.",
    "Full-width ＡＢＣ １２３ and ligatures ﬁ ﬂ and ß and İ and Ⅻ ½ ² ٣ ๓.",
]


def ioi_sentences(rng, n):
    out = []
    for _ in range(n):
        a, b = rng.sample(NAMES, 2)
        place, obj = rng.choice(PLACES), rng.choice(OBJECTS)
        out.append(f"When {a} and {b} went to the {place}, {b} gave a {obj} to {a}.")
        out.append(f"Then, {a} and {b} went to the {place}. {b} gave a {obj} to {a}.")
    # Wang et al.'s names, places and objects too, so the shipped ioi-wang2022 pairs run on the fixture.
    for name in ioi_wang_pairs.NAMES:
        for _ in range(16):
            b = rng.choice(NAMES)
            out.append(f"Then, {name} and {b} went to the {rng.choice(ioi_wang_pairs.PLACES)}. "
                       f"{b} gave a {rng.choice(ioi_wang_pairs.OBJECTS)} to {name}.")
    for word in ioi_wang_pairs.PLACES + ioi_wang_pairs.OBJECTS:
        out += [f"the {word} and the {word}."] * 16
    return out


def check_shipped_pairs(tok):
    """Every pair of ioi-wang2022 has one-token answers and one token length on the fixture tokenizer."""
    lengths = set()
    with open(ioi_wang_pairs.OUT, encoding="utf-8") as f:
        for line in f:
            pair = json.loads(line)
            for field in ("answer", "wrong"):
                assert len(tok.encode(pair[field]).ids) == 1, (field, pair[field])
            lengths |= {len(tok.encode(pair["clean"]).ids), len(tok.encode(pair["corrupted"]).ids)}
    assert len(lengths) == 1, f"ioi-wang2022 has several token lengths on the fixture: {lengths}"


def train_tokenizer():
    rng = random.Random(0)
    corpus = MIXED * 12 + ioi_sentences(rng, 150)
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=1200, min_frequency=2, show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), special_tokens=[])
    tok.train_from_iterator(corpus, trainer)
    os.makedirs(CHECKPOINT, exist_ok=True)
    tok.model.save(CHECKPOINT)                       # vocab.json, merges.txt
    vocab_path = os.path.join(CHECKPOINT, "vocab.json")
    with open(vocab_path, encoding="utf-8") as f:
        vocab = json.load(f)
    vocab[EOT] = len(vocab)                          # GPT-2 keeps <|endoftext|> last
    with open(vocab_path, "w", encoding="utf-8") as f:
        json.dump(vocab, f, ensure_ascii=False)
    return load_tokenizer(), len(vocab)


def load_tokenizer():
    """The tokenizer a GPT-2 checkpoint directory defines, built by `tokenizers` from its two files."""
    tok = Tokenizer(models.BPE.from_file(os.path.join(CHECKPOINT, "vocab.json"),
                                         os.path.join(CHECKPOINT, "merges.txt")))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.add_special_tokens([EOT])
    return tok


# ---------------------------------------------------------------- tricky strings

def tricky_strings():
    hand = [
        "", " ", "  ", "   ", "\t", "\n", "\n\n", "\r\n", " \n ", " \n\n y", "a\r\nb", "\r\n\r\n",
        "hello", " hello", "hello ", "hello   ", "   hello", "hello world", "hello  world", "hello\tworld",
        "Hello, world!", "It's", "it's", "IT'S", "I'm", "you're", "we've", "they'll", "she'd", "'s", "'t",
        "''", "'", " 's", "don't", "rock'n'roll", "’s curly", "the dog’s bone", "x's y't z're",
        "When Mary and John went to the store, John gave a drink to",
        "When Mary and John went to the store, John gave a drink to Mary",
        " Mary", "Mary", " John", " store", " drink",
        "0", "7", "42", "1234567890", "3.14159", "$1,234.56", "1e-5", "2024-01-31", "12:30", "100%",
        "abc123def", "a1b2c3", "٣", "٣٤٥", "๓", "Ⅻ", "½", "²", "x²", "①②③",
        "!!!", "???", "...", "--", "—", "–", "…", "((x))", "[a]", "{b}", "<c>", "@#$%^&*",
        "café", "cafe\u0301", "naïve", "Zürich", "São Paulo", "Ångström", "Dvořák", "ß", "İstanbul", "ﬁne",
        "Ελληνικά", "русский", "עברית", "العربية", "हिन्दी", "한국어", "日本語", "中文", "漢字", "東京タワー",
        "ＡＢＣ", "１２３", "😀", "😀😀", "👋🏽", "👨‍👩‍👧", "🇫🇷", "❤️", "✨🚀", "text😀text", " 😀 ",
        EOT, "hello" + EOT, EOT + "hello", "a " + EOT + " b", EOT + EOT, "<|endo", "endoftext", "<|", "|>",
        "\u00a0", "a\u00a0b", "a\u00a0 b", "\u3000", "a\u3000b", "\u2028", "a\u2029b", "\u200b", "a\u200bb",
        "\u0085", "\u000b", "\u000c", "a\u000bb", "\u0000", "a\u0000b", "\u0007", "\u001b[31mred",
        "\u00ad", "\ufeffbom", "\ufffd", "\U0001F600", "\U0010FFFF", "\u0301", "a\u0301\u0301",
        "a" * 300, "ab" * 100, " " * 50 + "x", "x" + " " * 50, "\n" * 20, "\t \t \t", ". . . .",
        "def f(x):\n    return x ** 2\n", "if (a && b) { c(); }", "https://example.org/a?b=1&c=2",
        "name@example.com", "C:\\Users\\name", "#include <stdio.h>", "SELECT * FROM t;",
        "MiXeD CaSe", "UPPER CASE", "lower case", "CamelCaseWord", "snake_case_word", "kebab-case-word",
    ]
    rng = random.Random(1)
    pieces = ["Mary", " John", " the", " store", ",", ".", "!", " ", "  ", "\n", "\r\n", "\t", "'s", "'ll",
              "123", " 4.5", "café", " 日本", "語", "😀", "👨‍👩‍👧", " Ελλη", "νικά", "\u00a0", "—", "...",
              "don't", " I'm", "ß", "x²", "٣", EOT, "  \n", " ", "hello", "WORLD", "\u3000", "e\u0301"]
    generated = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(120)]
    seen, out = set(), []
    for s in hand + generated:
        if s not in seen:
            seen.add(s)
            out.append(s)
    return out


def tokenizer_goldens(tok):
    from transformers import GPT2Tokenizer
    hf = GPT2Tokenizer.from_pretrained(CHECKPOINT)   # what transformers makes of the directory
    assert len(hf) == tok.get_vocab_size(), (len(hf), tok.get_vocab_size())
    rows = []
    for s in tricky_strings():
        ids = tok.encode(s).ids
        assert hf(s)["input_ids"] == ids, f"tokenizers and transformers disagree on {s!r}"
        assert tok.decode(ids, skip_special_tokens=False) == s, f"round trip fails for {s!r}"
        rows.append({"text": s, "ids": ids, "str_tokens": [tok.decode([i], skip_special_tokens=False) for i in ids]})
    assert len(rows) >= 200, len(rows)
    with open(os.path.join(FIXTURES, "gpt2_tokenizer.golden.json"), "w", encoding="utf-8") as f:
        json.dump(rows, f, ensure_ascii=True, indent=0)
        f.write("\n")
    return rows


# ---------------------------------------------------------------- the checkpoint

def make_checkpoint(vocab_size, eot_id):
    config = GPT2Config(vocab_size=vocab_size, n_positions=64, n_embd=48, n_layer=2, n_head=4,
                        activation_function="gelu_new", resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0,
                        initializer_range=0.2, bos_token_id=eot_id, eos_token_id=eot_id)
    torch.manual_seed(0)
    model = GPT2LMHeadModel(config)
    g = torch.Generator().manual_seed(1)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if ".ln_" in name or name.startswith("transformer.ln_f"):
                if name.endswith("weight"):
                    p.copy_(1 + 0.3 * torch.randn(p.shape, generator=g))
                else:
                    p.copy_(0.2 * torch.randn(p.shape, generator=g))
            elif name.endswith(".bias"):
                p.copy_(0.1 * torch.randn(p.shape, generator=g))
        model.transformer.wte.weight.mul_(2.0)
    model.eval()
    for f in os.listdir(CHECKPOINT):
        if f not in ("vocab.json", "merges.txt"):
            os.remove(os.path.join(CHECKPOINT, f))
    model.save_pretrained(CHECKPOINT, safe_serialization=True)
    gen_config = os.path.join(CHECKPOINT, "generation_config.json")
    if os.path.exists(gen_config):
        os.remove(gen_config)
    return model


def tl_model(hf_model):
    """TransformerLens's from_pretrained for this checkpoint, offline: the config TL derives for
    GPT2LMHeadModel, convert_gpt2_weights, and load_and_process_state_dict with its defaults."""
    from transformer_lens import HookedTransformer, HookedTransformerConfig
    from transformer_lens.pretrained.weight_conversions.gpt2 import convert_gpt2_weights
    c = hf_model.config
    cfg = HookedTransformerConfig(d_model=c.n_embd, d_head=c.n_embd // c.n_head, n_heads=c.n_head,
                                  d_mlp=c.n_embd * 4, n_layers=c.n_layer, n_ctx=c.n_positions,
                                  eps=c.layer_norm_epsilon, d_vocab=c.vocab_size, act_fn=c.activation_function,
                                  normalization_type="LN", original_architecture="GPT2LMHeadModel",
                                  default_prepend_bos=True)
    model = HookedTransformer(cfg)
    model.load_and_process_state_dict(convert_gpt2_weights(hf_model, cfg), fold_ln=True,
                                      center_writing_weights=True, center_unembed=True, fold_value_biases=True)
    model.eval()
    return model


PROMPTS = [
    "When Mary and John went to the store, John gave a drink to",
    "Hello, world! It's 3.14 — café 日本語 😀",
    "  whitespace\truns\r\nand\n\nnew lines",
]


def model_goldens(tok, hf_model, eot_id):
    tl = tl_model(hf_model)
    out = {}
    for k, text in enumerate(PROMPTS):
        ids = [eot_id] + tok.encode(text).ids
        tokens = torch.tensor([ids])
        with torch.no_grad():
            hf_out = hf_model(tokens, output_hidden_states=True)
            logprobs = hf_out.logits.log_softmax(-1)
            tl_logits, cache = tl.run_with_cache(tokens)
        tl_logprobs = tl_logits.log_softmax(-1)
        gap = (tl_logprobs - logprobs).abs().max().item()
        assert gap < 1e-4, f"TL and transformers disagree by {gap} on prompt {k}"
        p = f"p{k}."
        out[p + "tokens"] = np.array(ids, dtype=np.int64)
        out[p + "logprobs"] = logprobs[0].numpy()
        # hidden_states[l] enters block l; the last one is after ln_f.
        for l, h in enumerate(hf_out.hidden_states):
            out[p + f"hidden.{l}"] = h[0].numpy()
        if k < 2:  # every TL hook (unembed.hook_out is TL's logits) for two prompts
            for name, value in cache.items():
                out[p + "tl." + name] = value[0].numpy()
    for name, value in tl.state_dict().items():
        if not name.endswith((".mask", ".IGNORE")):
            out["tl.weights." + name] = value.detach().numpy()

    # Greedy generation (temperature 0) from the first prompt, with the margin that makes it stable.
    ids = [eot_id] + tok.encode(PROMPTS[0]).ids
    with torch.no_grad():
        # An explicit mask: generate would otherwise mask the <|endoftext|> BOS as padding.
        prompt = torch.tensor([ids])
        generated = hf_model.generate(prompt, attention_mask=torch.ones_like(prompt), do_sample=False,
                                      max_new_tokens=12, pad_token_id=eot_id, eos_token_id=None)
        seq = generated[0].tolist()
        margins = []
        for n in range(len(ids), len(seq)):
            logits = hf_model(torch.tensor([seq[:n]])).logits[0, -1]
            top = logits.topk(2)
            assert top.indices[0].item() == seq[n], "generate is not the greedy choice of the plain forward"
            margins.append((top.values[0] - top.values[1]).item())
    assert min(margins) > 1e-3, f"greedy generation has a near tie: {margins}"
    out["gen.prompt"] = np.array(ids, dtype=np.int64)
    out["gen.tokens"] = np.array(seq[len(ids):], dtype=np.int64)
    metadata = {"prompts": json.dumps(PROMPTS), "generated_text": tok.decode(seq[len(ids):]),
                "note": "scripts/gpt2_fixtures.py"}
    save_numpy({k: np.ascontiguousarray(v) for k, v in out.items()},
               os.path.join(FIXTURES, "gpt2_tiny.golden.safetensors"), metadata=metadata)


# ---------------------------------------------------------------- half-precision tensors

def half_precision_fixture():
    values = torch.tensor([0.0, -0.0, 1.0, -2.5, 0.1, 65504.0, 6.1e-5, 5.96e-8, 3.0e-6, float("inf"),
                           float("-inf"), float("nan"), 1234.5, -0.333333, 1e-3, 7.0], dtype=torch.float32)
    f16 = values.to(torch.float16)
    bf16 = torch.tensor([0.0, -0.0, 1.0, -2.5, 0.1, 3.0e38, 1e-38, 9.2e-41, float("inf"), float("-inf"),
                         float("nan"), 1234.5, -0.333333, 1e-3, 7.0, 65504.0]).to(torch.bfloat16)
    from safetensors.torch import save_file
    tensors = {"f16": f16.reshape(4, 4), "f16.as_f32": f16.to(torch.float32).reshape(4, 4),
               "bf16": bf16.reshape(2, 8), "bf16.as_f32": bf16.to(torch.float32).reshape(2, 8)}
    path = os.path.join(ROOT, "Tests", "TensorTests", "Fixtures", "half_precision.safetensors")
    save_file({k: v.contiguous() for k, v in tensors.items()}, path)


def main():
    if os.path.isdir(CHECKPOINT):
        shutil.rmtree(CHECKPOINT)
    tok, vocab_size = train_tokenizer()
    eot_id = vocab_size - 1
    rows = tokenizer_goldens(tok)
    check_shipped_pairs(tok)
    hf_model = make_checkpoint(vocab_size, eot_id)
    model_goldens(tok, hf_model, eot_id)
    half_precision_fixture()
    print(f"vocab {vocab_size}, {len(rows)} tokenizer goldens, checkpoint in {CHECKPOINT}")


if __name__ == "__main__":
    main()
