import { once } from 'node:events';
import { constants, createGzip } from 'node:zlib';
import { formatBytes } from '../../internal/units.js';
import type { EquipmentModel, OnboardingResult } from '../pipeline/types.js';
/** What the writer yields through between pieces (a Pacer; the job runner's also stops an aborted job there). */
export interface Breather {
  breathe(): Promise<void>;
}

/** How large a job's result may be, uncompressed (what it costs to produce) and as stored (what it costs to keep). */
export interface ResultBudget {
  maxJsonBytes: number;
  /** Why maxJsonBytes is what it is, for the job's error: "32 × the 1.0 MiB request, plus 64.0 KiB". */
  jsonLimitReason: string;
  maxStoredBytes: number;
  /** "10 % of the job store's 32 MiB". */
  storedLimitReason: string;
}

export class ResultTooLargeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResultTooLargeError';
  }
}

/** Equipment points serialized per piece: small enough that one piece is a fraction of a millisecond of work. */
const POINTS_PER_PIECE = 256;

/** `{"a":1,"b":2,"last":` — an object's JSON opened at its last member, so the member can be written in pieces. */
function openAt(value: object, last: string): string {
  const rest = JSON.stringify({ ...value, [last]: undefined });
  return `${rest.length > 2 ? `${rest.slice(0, -1)},` : '{'}${JSON.stringify(last)}:`;
}

/**
 * A finished job's GET response — `{ …meta, "result": … }` — serialized a piece at a time straight into gzip, so
 * neither the whole JSON string nor a second copy of it ever exists: what is held is the compressed body (results
 * compress about 15×). Fails with ResultTooLargeError as soon as either budget is exceeded, having built no more than
 * the budget; yields to the event loop between pieces.
 */
export async function gzipJobBody(meta: object, result: OnboardingResult, budget: ResultBudget, pacer: Breather): Promise<Buffer> {
  const gzip = createGzip({ level: constants.Z_BEST_SPEED });
  const chunks: Buffer[] = [];
  let stored = 0;
  let json = 0;
  gzip.on('data', (chunk: Buffer) => {
    stored += chunk.length;
    chunks.push(chunk);
    if (stored > budget.maxStoredBytes) {
      gzip.destroy(new ResultTooLargeError(`the result would take more than ${formatBytes(budget.maxStoredBytes, 1)} of the job store (${budget.storedLimitReason}); split the job into smaller ones`));
    }
  });
  const ended = once(gzip, 'end');
  ended.catch(() => undefined); // observed below; a destroyed stream must not leave an unhandled rejection
  const write = async (piece: string): Promise<void> => {
    json += Buffer.byteLength(piece);
    if (json > budget.maxJsonBytes) {
      const error = new ResultTooLargeError(`the result would be larger than ${formatBytes(budget.maxJsonBytes, 1)} (${budget.jsonLimitReason}): the job produces far more than its input`);
      gzip.destroy(error);
      throw error;
    }
    if (gzip.destroyed) throw gzip.errored ?? new Error('the result could not be compressed');
    if (!gzip.write(piece)) await once(gzip, 'drain');
    await pacer.breathe();
  };

  try {
    const { equipment, ...summary } = result;
    await write(`${openAt({ ...meta, result: undefined }, 'result')}${openAt({ ...summary, equipment: undefined }, 'equipment')}[`);
    let separator = '';
    for (const equip of equipment) {
      await writeEquipment(equip, separator, write);
      separator = ',';
    }
    await write(']}}');
    gzip.end();
    await ended;
  } catch (error) {
    gzip.destroy();
    throw gzip.errored ?? error;
  }
  return Buffer.concat(chunks, stored);
}

async function writeEquipment(equip: EquipmentModel, separator: string, write: (piece: string) => Promise<void>): Promise<void> {
  const { points, ...head } = equip;
  // One equipment can hold every point of a job (100,000 on one AHU): its points go in pieces too.
  let piece = `${separator}${openAt({ ...head, points: undefined }, 'points')}[`;
  for (let p = 0; p < points.length; p += POINTS_PER_PIECE) {
    const json = JSON.stringify(points.slice(p, p + POINTS_PER_PIECE));
    piece += p === 0 ? json.slice(1, -1) : `,${json.slice(1, -1)}`;
    if (piece.length >= 16 * 1024) {
      await write(piece);
      piece = '';
    }
  }
  await write(`${piece}]}`);
}
