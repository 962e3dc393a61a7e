#!/usr/bin/env bash
# Trains the shipped voice end to end (resumable: re-running continues every stage from its
# checkpoint; a finished stage only re-exports). Run from packages/tts after `npx tsc -b .`.
# Each stage is `diffgan train <recipe> --config configs/<net>.json` (the recipes are in
# src/train/recipes.ts); measured costs: docs/experiments/tts-voice.md. Extra
# arguments go to every training stage, e.g. `scripts/train-voice.sh --runtime onnxruntime`
# (the shipped voice trained on tfjs, the default here, but for the acoustic model's last stage).
set -euo pipefail
cd "$(dirname "$0")/.."
W=${WORKERS:-2}
train() { node dist/train/train.js "$@"; }
[ -f weights/prosody.json ] || train prosody
train tts-vocoder  --config configs/vocoder-l1.json --workers "$W" --run runs/tts_vocoder --out weights --runtime tfjs "$@"
train tts-vocoder  --config configs/vocoder.json    --workers "$W" --run runs/tts_vocoder --out weights --runtime tfjs "$@"
train tts-denoiser --config configs/denoiser.json   --workers "$W" --run runs/tts_denoiser --out weights --runtime tfjs "$@"
# the acoustic model in two stages: MBROLA renders then 80/20 real/teacher (exported into its run
# folder), then from those weights real recordings only with the plan's voicing (#26), on onnxruntime
train tts-acoustic --config configs/acoustic-teacher.json --workers "$W" --run runs/tts_acoustic --runtime tfjs "$@"
train tts-acoustic --config configs/acoustic.json   --workers 1 --run runs/tts_acoustic_real --out weights --runtime onnxruntime "$@"
