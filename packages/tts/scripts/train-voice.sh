#!/usr/bin/env bash
# Trains the shipped voice end to end (resumable: re-running continues every stage from its
# checkpoint; a finished stage only re-exports). Run from packages/tts after `npx tsc -b .`.
# Each stage is `diffgan train <recipe> --config configs/<net>.json` (the recipes are in
# src/train/recipes.ts); measured costs: docs/experiments/tts-voice.md. Extra
# arguments go to every training stage, e.g. `scripts/train-voice.sh --runtime onnxruntime`
# (the shipped voice trained on tfjs, the default here).
set -euo pipefail
cd "$(dirname "$0")/.."
W=${WORKERS:-2}
train() { node dist/train/train.js "$@"; }
[ -f weights/prosody.json ] || train prosody
train tts-vocoder  --config configs/vocoder-l1.json --workers "$W" --run runs/tts_vocoder --out weights --runtime tfjs "$@"
train tts-vocoder  --config configs/vocoder.json    --workers "$W" --run runs/tts_vocoder --out weights --runtime tfjs "$@"
train tts-denoiser --config configs/denoiser.json   --workers "$W" --run runs/tts_denoiser --out weights --runtime tfjs "$@"
train tts-acoustic --config configs/acoustic.json   --workers "$W" --run runs/tts_acoustic --out weights --runtime tfjs "$@"
