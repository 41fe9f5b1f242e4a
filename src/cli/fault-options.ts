import { Option, type Command } from 'commander';
import { parseByteRate, parseBytes } from '../internal/units.js';
import { MemscopeError } from '../internal/errors.js';
import { ONBOARDING_PHASES, type OnboardingPhase } from '../bms/pipeline/onboard.js';
import type { FaultOptions } from '../bms/service/faults.js';
import { parser } from './options.js';

export interface FaultFlags {
  injectLeak?: number;
  injectLeakPerRequest?: number;
  leakKind: 'heap' | 'buffer';
  injectSpike?: number;
  spikePhase: OnboardingPhase;
  injectSlowPhase?: { phase: OnboardingPhase; ms: number };
}

function phaseName(field: string, value: string): OnboardingPhase {
  if (!(ONBOARDING_PHASES as readonly string[]).includes(value)) {
    throw new MemscopeError('MEMSCOPE_E_INVALID_OPTION', `${field} must name a phase (${ONBOARDING_PHASES.join(', ')}); got ${JSON.stringify(value)}`);
  }
  return value as OnboardingPhase;
}

/** The fault-injection flags shared by `serve` and `test`: startup-only, never switchable by a request. */
export function addFaultOptions(command: Command, { perRequest }: { perRequest: boolean }): Command {
  command.addOption(new Option('--inject-leak <rate>', 'leak memory at this rate, e.g. 1MiB/s (KB/MB = 1000^n, KiB/MiB = 1024^n)').argParser(parser((v) => parseByteRate('--inject-leak', v))));
  if (perRequest) {
    command.addOption(
      new Option('--inject-leak-per-request <size>', 'leak this much memory per onboarding job, e.g. 64KiB')
        .argParser(parser((v) => parseBytes('--inject-leak-per-request', v)))
        .conflicts('injectLeak'),
    );
  }
  command
    .addOption(new Option('--leak-kind <kind>', 'what leaks: JavaScript heap objects or Buffers').choices(['heap', 'buffer']).default('heap'))
    .addOption(new Option('--inject-spike <size>', 'allocate this much extra memory inside one phase of every job, e.g. 64MiB').argParser(parser((v) => parseBytes('--inject-spike', v))))
    .addOption(new Option('--spike-phase <phase>', 'the phase --inject-spike allocates in').argParser(parser((v) => phaseName('--spike-phase', v))).default('classify'))
    .addOption(
      new Option('--inject-slow-phase <phase:ms>', 'make a phase of every job this much slower (CPU-bound), e.g. classify:200').argParser(
        parser((v) => {
          const [phase = '', ms = ''] = v.split(':');
          const n = Number(ms);
          if (!/^\d+$/.test(ms) || n > 600_000) throw new MemscopeError('MEMSCOPE_E_INVALID_OPTION', `--inject-slow-phase must be <phase>:<milliseconds>, e.g. classify:200; got ${JSON.stringify(v)}`);
          return { phase: phaseName('--inject-slow-phase', phase), ms: n };
        }),
      ),
    );
  return command;
}

export function toFaultOptions(flags: FaultFlags): FaultOptions {
  return {
    leakBytesPerSec: flags.injectLeak ?? 0,
    leakBytesPerRequest: flags.injectLeakPerRequest ?? 0,
    leakKind: flags.leakKind,
    spikeBytes: flags.injectSpike ?? 0,
    spikePhase: flags.spikePhase,
    ...(flags.injectSlowPhase === undefined ? {} : { slowPhase: flags.injectSlowPhase }),
  };
}
