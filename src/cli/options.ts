import { InvalidArgumentError } from 'commander';
import { MemscopeError } from '../internal/errors.js';

/** Commander argument parsers that turn memscope's validation errors into commander's usage errors. */
export function parser<T>(parse: (value: string) => T): (value: string) => T {
  return (value) => {
    try {
      return parse(value);
    } catch (error) {
      if (error instanceof MemscopeError) throw new InvalidArgumentError(error.message);
      throw error;
    }
  };
}

export function parsePort(field: string): (value: string) => number {
  return parser((value) => {
    const port = Number(value);
    if (!/^\d+$/.test(value) || port > 65_535) {
      throw new MemscopeError('MEMSCOPE_E_INVALID_OPTION', `${field} must be a port from 0 to 65535; got ${JSON.stringify(value)}`);
    }
    return port;
  });
}

export function parsePositiveInt(field: string, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return parser((value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < 1 || n > max) {
      throw new MemscopeError('MEMSCOPE_E_INVALID_OPTION', `${field} must be an integer from 1 to ${max}; got ${JSON.stringify(value)}`);
    }
    return n;
  });
}

/**
 * A host to bind: a name or an address, visible ASCII without spaces. `--host ''` would reach Node as "no host", which
 * binds every interface — the opposite of what an empty value suggests — so it is refused.
 */
export function parseHost(field: string): (value: string) => string {
  return parser((value) => {
    if (!/^[\x21-\x7e]{1,255}$/.test(value)) {
      throw new MemscopeError('MEMSCOPE_E_INVALID_OPTION', `${field} must be a host name or IP address, e.g. 127.0.0.1 or 0.0.0.0; got ${JSON.stringify(value)}`);
    }
    return value;
  });
}
