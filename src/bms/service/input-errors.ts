export interface FieldError {
  /** Where: `points[3].name`, `rows[7]`, `body`. */
  path: string;
  message: string;
}

/** A request the service refuses, with the HTTP status, a stable code and field-level details. */
export class RequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldError[] = [],
  ) {
    super(message);
    this.name = 'RequestError';
  }

  toJSON(): { error: { code: string; message: string; fields?: FieldError[] } } {
    return { error: { code: this.code, message: this.message, ...(this.fields.length > 0 ? { fields: this.fields } : {}) } };
  }
}

/** Collects field errors up to a cap, so a huge bad body yields a useful answer, not a huge one. */
export class FieldErrors {
  readonly list: FieldError[] = [];
  total = 0;

  constructor(private readonly cap = 50) {}

  add(path: string, message: string): void {
    this.total++;
    if (this.list.length < this.cap) this.list.push({ path, message });
  }

  throwIfAny(what: string): void {
    if (this.total === 0) return;
    const more = this.total > this.list.length ? ` (first ${this.list.length} of ${this.total} shown)` : '';
    throw new RequestError(400, 'validation_failed', `${what}: ${this.total} invalid field${this.total === 1 ? '' : 's'}${more}`, this.list);
  }
}
