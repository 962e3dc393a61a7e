/**
 * A short, explicit training loop: named models, each with its Adam and optional EMA;
 * seeded RNG; checkpoint + resume (atomic); JSON-lines log; a progress bar with it/s and
 * ETA. The step function says what one step is (GAN, diffusion, plain regression).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as cliProgress from 'cli-progress';
import { tf } from '../tf';
import { Model } from '../model';
import { Rng } from '../rng';
import { Adam, AdamConfig, Ema, Gradient, lossAndGrads } from './adam';
import { decodeTensors, encodeTensors, TensorMap } from '../weights';
import { writeFileAtomic } from '../temp-files';
import { DiffganError } from '../errors';

export interface GroupConfig {
  model: Model;
  adam: AdamConfig;
  ema?: number;
}
export interface Group {
  model: Model;
  opt: Adam;
  ema?: Ema;
}

export interface TrainerOptions {
  /** Directory for checkpoint.dgw and log.jsonl; resumed from when a checkpoint exists. */
  dir: string;
  /** Where training stops. */
  steps: number;
  /**
   * The length the learning-rate schedule decays over (default: steps), as nanoGPT's
   * lr_decay_iters: a run stopped early on a longer schedule is this plus a smaller `steps`.
   */
  scheduleSteps?: number;
  seed?: number;
  groups: Record<string, GroupConfig>;
  checkpointEvery?: number;
  logEvery?: number;
  progress?: boolean;
  /** Learning-rate multiplier per step (e.g. cosine decay). */
  lrSchedule?: (step: number, total: number) => number;
  /** Extra facts written into the checkpoint (config, data, command). */
  meta?: Record<string, unknown>;
  /** What trains (a recipe or family name): recorded in the checkpoint, and a checkpoint of another task is refused. */
  task?: string;
}

export type StepFn = (t: Trainer) => Record<string, number> | Promise<Record<string, number>>;

export class Trainer {
  step = 0;
  rng: Rng;
  readonly groups: Record<string, Group> = {};
  private log: fs.WriteStream | null = null;
  private started = Date.now();
  readonly resumed: boolean;
  /** Groups the resumed checkpoint had no parameters for (e.g. a discriminator added when a run turns adversarial); they start fresh. */
  readonly freshGroups: string[] = [];
  /** the runtime computing gradients (set by runParallel; written into the log) */
  runtime: 'tfjs' | 'onnxruntime' = 'tfjs';

  constructor(readonly opts: TrainerOptions) {
    this.rng = new Rng(opts.seed ?? 0);
    for (const [name, g] of Object.entries(opts.groups)) {
      this.groups[name] = { model: g.model, opt: new Adam(g.adam), ema: g.ema ? new Ema(g.model.params, g.ema) : undefined };
    }
    fs.mkdirSync(opts.dir, { recursive: true });
    this.resumed = fs.existsSync(this.checkpointPath) && this.loadCheckpoint();
  }

  get checkpointPath(): string {
    return path.join(this.opts.dir, 'checkpoint.dgw');
  }
  get logPath(): string {
    return path.join(this.opts.dir, 'log.jsonl');
  }

  /** The current learning-rate multiplier. */
  lrScale(): number {
    return this.opts.lrSchedule ? this.opts.lrSchedule(this.step, this.opts.scheduleSteps ?? this.opts.steps) : 1;
  }

  /** One optimizer step of group `name` on `lossFn`; returns the loss. */
  update(name: string, lossFn: () => tf.Scalar): number {
    const { loss, grads } = lossAndGrads(lossFn, this.groups[name].model.params);
    try {
      this.applyGrads(name, loss, grads);
    } finally {
      tf.dispose([...grads.values()]);
    }
    return loss;
  }

  /** The update half of `update`, for gradients computed elsewhere (data-parallel workers). */
  applyGrads(name: string, loss: number, grads: Map<string, Gradient>): void {
    const g = this.groups[name];
    if (!Number.isFinite(loss)) throw new DiffganError(`${name}: loss became ${loss} at step ${this.step}`);
    g.opt.apply(g.model.params, grads, g.opt.cfg.lr * this.lrScale());
    g.ema?.update(g.model.params, this.step);
  }

  /**
   * Runs steps until `until` (default: the run's total `steps`), so a caller can train in
   * chunks without touching the total that the learning-rate schedule and the bar count to.
   */
  async run(stepFn: StepFn, until = this.opts.steps): Promise<void> {
    const { checkpointEvery = 500, logEvery = 50 } = this.opts;
    const steps = Math.min(until, this.opts.steps);
    this.log = fs.createWriteStream(this.logPath, { flags: 'a' });
    const bar =
      this.opts.progress === false
        ? null
        : new cliProgress.SingleBar(
            {
              format: '{bar} {value}/{total} | {it_s} it/s | ETA {eta_formatted} | {losses}',
              stream: process.stderr,
              hideCursor: true,
            },
            cliProgress.Presets.shades_classic,
          );
    bar?.start(this.opts.steps, this.step, { it_s: '-', losses: '' });
    let windowStart = Date.now(),
      windowSteps = 0;
    const acc: Record<string, number> = {};
    try {
      while (this.step < steps) {
        const losses = await stepFn(this);
        this.step++;
        windowSteps++;
        for (const [k, v] of Object.entries(losses)) acc[k] = (acc[k] ?? 0) + v;
        if (this.step % logEvery === 0 || this.step === steps) {
          const sec = (Date.now() - windowStart) / 1000;
          const mean = Object.fromEntries(Object.entries(acc).map(([k, v]) => [k, v / windowSteps]));
          this.log.write(
            JSON.stringify({ step: this.step, time: new Date().toISOString(), it_s: windowSteps / sec, lr: this.lrScale(), runtime: this.runtime, ...mean }) +
              '\n',
          );
          bar?.update(this.step, {
            it_s: (windowSteps / sec).toFixed(2),
            losses: Object.entries(mean)
              .map(([k, v]) => `${k} ${v.toPrecision(4)}`)
              .join(' '),
          });
          for (const k of Object.keys(acc)) delete acc[k];
          windowStart = Date.now();
          windowSteps = 0;
        } else bar?.update(this.step);
        if (this.step % checkpointEvery === 0 || this.step === steps) this.saveCheckpoint();
        // let timers/signals run between steps (the step itself is synchronous)
        if (this.step % 10 === 0) await new Promise((r) => setImmediate(r));
      }
    } finally {
      bar?.stop();
      await new Promise<void>((r) => this.log!.end(r));
    }
  }

  saveCheckpoint(): void {
    const t: TensorMap = new Map();
    const put = (key: string, v: tf.Tensor): void => {
      t.set(key, { shape: v.shape, data: v.dataSync() as Float32Array });
    };
    const adamSteps: Record<string, number> = {};
    for (const [gname, g] of Object.entries(this.groups)) {
      for (const [k, p] of g.model.params) put(`${gname}/params/${k}`, p);
      const shapeOf = (k: string) => g.model.params.get(k)!.shape;
      for (const [k, m] of g.opt.m) t.set(`${gname}/adam.m/${k}`, { shape: shapeOf(k), data: m });
      for (const [k, v] of g.opt.v) t.set(`${gname}/adam.v/${k}`, { shape: shapeOf(k), data: v });
      if (g.ema) for (const [k, e] of g.ema.shadow) t.set(`${gname}/ema/${k}`, e);
      adamSteps[gname] = g.opt.step;
    }
    writeFileAtomic(
      this.checkpointPath,
      encodeTensors(t, {
        step: this.step,
        rng: this.rng.state(),
        adamSteps,
        ...(this.opts.task ? { task: this.opts.task } : {}),
        meta: this.opts.meta ?? {},
        savedAt: new Date().toISOString(),
      }),
    );
  }

  private loadCheckpoint(): boolean {
    const { tensors, meta } = decodeTensors(fs.readFileSync(this.checkpointPath), this.checkpointPath);
    const m = meta as { step: number; rng: number[]; adamSteps: Record<string, number>; task?: string };
    const file = this.checkpointPath;
    if (this.opts.task && m.task && m.task !== this.opts.task) throw new DiffganError(`${file}: a checkpoint of '${m.task}', not of '${this.opts.task}'`);
    // a group may start fresh only next to groups the checkpoint does hold: a checkpoint with none of them is another model's
    const held = new Set(
      Object.entries(this.groups)
        .filter(([gname, g]) => [...g.model.params.keys()].some((k) => tensors.has(`${gname}/params/${k}`)))
        .map(([gname]) => gname),
    );
    if (!held.size) {
      const groups = [...new Set([...tensors.keys()].map((k) => k.split('/')[0]))];
      throw new DiffganError(
        `${file}: holds none of this run's model groups (${Object.keys(this.groups).join(', ')}; it has ${groups.join(', ') || 'none'}): another model's checkpoint?`,
      );
    }
    for (const [gname, g] of Object.entries(this.groups)) {
      if (!held.has(gname)) {
        this.freshGroups.push(gname);
        continue;
      }
      for (const [k, p] of g.model.params) {
        const src = tensors.get(`${gname}/params/${k}`);
        if (!src || src.shape.join() !== p.shape.join())
          throw new DiffganError(`${this.checkpointPath}: no matching '${gname}/${k}' (a different model configuration?)`);
        p.assign(tf.tensor(src.data, src.shape));
        const mm = tensors.get(`${gname}/adam.m/${k}`),
          vv = tensors.get(`${gname}/adam.v/${k}`);
        if (mm && vv) {
          g.opt.m.set(k, Float32Array.from(mm.data));
          g.opt.v.set(k, Float32Array.from(vv.data));
        }
        const e = tensors.get(`${gname}/ema/${k}`);
        if (e && g.ema) g.ema.shadow.get(k)!.data.set(e.data);
      }
      g.opt.step = m.adamSteps?.[gname] ?? 0;
    }
    this.step = m.step;
    this.rng = Rng.fromState(m.rng);
    return true;
  }

  /** Weights to ship: the EMA copy when there is one. */
  exportWeights(name: string, useEma = true): TensorMap {
    const g = this.groups[name];
    const out: TensorMap = new Map();
    if (useEma && g.ema) for (const [k, e] of g.ema.shadow) out.set(k, { shape: e.shape.slice(), data: e.data.slice() });
    else for (const [k, p] of g.model.params) out.set(k, { shape: p.shape, data: p.dataSync() as Float32Array });
    return out;
  }

  elapsedSeconds(): number {
    return (Date.now() - this.started) / 1000;
  }

  dispose(): void {
    for (const g of Object.values(this.groups)) {
      g.opt.dispose();
      g.ema?.dispose();
    }
  }
}

/** Cosine decay to `floor` after a linear warm-up. */
export function cosineSchedule(warmup: number, floor = 0.1): (step: number, total: number) => number {
  return (step, total) => {
    if (step < warmup) return (step + 1) / warmup;
    const p = Math.min(1, (step - warmup) / Math.max(1, total - warmup));
    return floor + (1 - floor) * 0.5 * (1 + Math.cos(Math.PI * p));
  };
}
