import type { RawPoint } from '../data/generator.js';
import { RequestError } from './input-errors.js';
import { DEFAULT_FIELD_LIMITS, type FieldLimits } from './point-fields.js';

/** A validated job, as the queue holds it until a worker takes it. */
export interface JobInput {
  points: RawPoint[];
  site?: string;
  /** Bytes of the request body: what the job's result is bounded against. */
  bytes: number;
}

export interface InputLimits extends FieldLimits {
  /** Points per job. @default 100000 */
  maxPoints: number;
}

export const DEFAULT_INPUT_LIMITS: InputLimits = { ...DEFAULT_FIELD_LIMITS, maxPoints: 100_000 };

export function checkPointCount(n: number, limits: InputLimits, path: string): void {
  if (n === 0) throw new RequestError(400, 'validation_failed', `${path} holds no points`, [{ path, message: 'must hold at least one point' }]);
  if (n > limits.maxPoints) {
    throw new RequestError(413, 'too_many_points', `${n} points in one job; at most ${limits.maxPoints} are accepted`, [{ path, message: `at most ${limits.maxPoints} points` }]);
  }
}
