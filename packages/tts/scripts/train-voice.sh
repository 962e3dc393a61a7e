#!/usr/bin/env bash
# Trains the shipped voice end to end (resumable: re-running continues every stage from its
# checkpoint; a finished stage only re-exports). Run from packages/tts after `npx tsc -b .`.
# Stages and measured costs are in the README ("Training"). Extra arguments go to every
# training stage, e.g. `scripts/train-voice.sh --runtime tfjs` or `--threads 2`
# (default: --runtime auto, i.e. onnxruntime when onnxruntime-node loads).
set -euo pipefail
cd "$(dirname "$0")/.."
W=${WORKERS:-2}
[ -f weights/prosody.json ] || node dist/train/train.js prosody
node dist/train/train.js vocoder  --steps 4000 --workers "$W" --run runs/tts_vocoder "$@"
node dist/train/train.js vocoder  --steps 6000 --adv 1 --workers "$W" --run runs/tts_vocoder "$@"
node dist/train/train.js denoiser --steps 4000 --workers "$W" --run runs/tts_denoiser "$@"
node dist/train/train.js acoustic --steps 12000 --pretrain-steps 8000 --teacher 3000 --workers "$W" --run runs/tts_acoustic "$@"
