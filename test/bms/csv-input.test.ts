import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvRows, readCsvJob } from '../../src/bms/service/csv-input.js';
import { FieldErrors, RequestError } from '../../src/bms/service/input-errors.js';
import { DEFAULT_INPUT_LIMITS } from '../../src/bms/service/input-limits.js';
import { Pacer } from '../../src/bms/service/pacer.js';

function rowsOf(text: string): { rows: string[][]; lines: number[]; errors: FieldErrors } {
  const errors = new FieldErrors();
  const reader = new CsvRows(text, errors);
  const rows: string[][] = [];
  const lines: number[] = [];
  for (let r = reader.next(); r !== undefined; r = reader.next()) {
    rows.push(r.fields);
    lines.push(r.line);
  }
  return { rows, lines, errors };
}

/** RFC 4180 encoding: fields with a comma, quote or line break are quoted (others sometimes, as exporters vary). */
function encode(rows: string[][], eol: string, quoteAll: boolean): string {
  const field = (f: string): string => (quoteAll || /[",\r\n]/.test(f) || f === '' ? `"${f.replace(/"/g, '""')}"` : f);
  return rows.map((r) => r.map(field).join(',')).join(eol) + eol;
}

const read = (text: string) => readCsvJob(text, DEFAULT_INPUT_LIMITS, new Pacer());

async function refusal(text: string): Promise<RequestError> {
  try {
    await read(text);
  } catch (error) {
    if (error instanceof RequestError) return error;
    throw error;
  }
  throw new Error('accepted');
}

describe('CsvRows', () => {
  it('reads back any fields an RFC 4180 writer encodes: quotes, commas, CR, LF, any Unicode', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ unit: 'grapheme', maxLength: 12 }), { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 8 }),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        (rows, eol, quoteAll) => {
          const { rows: back, errors } = rowsOf(encode(rows, eol, quoteAll));
          expect(errors.total).toBe(0);
          expect(back).toEqual(rows);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('numbers rows by the line they start on, counting line breaks inside quoted fields', () => {
    const { rows, lines } = rowsOf('name,description\na,"two\nlines"\r\nb,x\rc,y');
    expect(rows).toEqual([['name', 'description'], ['a', 'two\nlines'], ['b', 'x'], ['c', 'y']]);
    expect(lines).toEqual([1, 2, 4, 5]);
  });

  it('reports a stray quote, text after a closing quote and an unterminated quote at their row', () => {
    expect(rowsOf('a,b"c\n').errors.list).toEqual([{ path: 'rows[1]', message: 'a quote may only start a field' }]);
    expect(rowsOf('x\n"a"b,c\n').errors.list).toEqual([{ path: 'rows[2]', message: 'a quoted field must end at a comma or the end of the line' }]);
    expect(rowsOf('x\ny\n"abc\n').errors.list).toEqual([{ path: 'rows[3]', message: 'unterminated quoted field' }]);
  });

  it('keeps at most 64 fields of a row but counts them all', () => {
    const errors = new FieldErrors();
    const row = new CsvRows(','.repeat(100_000), errors).next()!;
    expect(row.count).toBe(100_001);
    expect(row.fields).toHaveLength(64);
  });

  it('reads 9 MB of blank lines in a few MB: a row is not kept beyond its point', async () => {
    const text = `name\nSITE1.AHU-01.SA-T\n${'\n'.repeat(9_000_000)}`;
    globalThis.gc?.();
    const base = process.memoryUsage().heapUsed;
    let peak = 0;
    const pacer = new Pacer(0);
    const breathe = pacer.breathe.bind(pacer);
    pacer.breathe = async () => {
      peak = Math.max(peak, process.memoryUsage().heapUsed - base);
      await breathe();
    };
    expect((await readCsvJob(text, DEFAULT_INPUT_LIMITS, pacer)).points).toHaveLength(1);
    expect(peak).toBeLessThan(32 * 2 ** 20); // the reader before kept every blank row: 2.1 GB
  });

  it('reads a trailing comma at the very end as an empty last field, and skips a byte-order mark', () => {
    expect(rowsOf('\ufeffname,value,').rows).toEqual([['name', 'value', '']]);
  });
});

describe('readCsvJob', () => {
  it('reads points in any column order, trims cells, skips blank lines', async () => {
    const input = await read('units,NAME,value\n°C , SITE1.AHU-01.SA-T ,12.5\n\n  \ndegC,SITE1.AHU-01.RA-T,\n');
    expect(input.points).toEqual([
      { name: 'SITE1.AHU-01.SA-T', value: '12.5', units: '°C', description: '' },
      { name: 'SITE1.AHU-01.RA-T', value: null, units: 'degC', description: '' },
    ]);
    expect(input.bytes).toBe(Buffer.byteLength('units,NAME,value\n°C , SITE1.AHU-01.SA-T ,12.5\n\n  \ndegC,SITE1.AHU-01.RA-T,\n'));
  });

  it('refuses control characters in a name, naming the row and the character', async () => {
    const e = await refusal(`name,value\nSITE1.AHU-01.SA-T,1\n${'\u0001'.repeat(200)}123.AHU-01.SA-T,12\n`);
    expect(e.status).toBe(400);
    expect(e.code).toBe('validation_failed');
    expect(e.fields).toEqual([{ path: 'rows[3].name', message: 'must not contain a control character (U+0001 at character 1)' }]);
  });

  it('refuses a C1 control or an unpaired surrogate in units, and over-long fields', async () => {
    expect((await refusal('name,units\nS.AHU-1.T,\u0085C\n')).fields[0]).toEqual({ path: 'rows[2].units', message: 'must not contain a control character (U+0085 at character 1)' });
    expect((await refusal('name,units\nS.AHU-1.T,\ud800\n')).fields[0]?.message).toMatch(/unpaired surrogate \(U\+D800/);
    expect((await refusal(`name,value\n${'A'.repeat(257)},1\n`)).fields[0]).toEqual({ path: 'rows[2].name', message: 'must be at most 256 characters (got 257)' });
    expect((await refusal(`name,units\nS.AHU-1.T,${'m'.repeat(33)}\n`)).fields[0]?.path).toBe('rows[2].units');
    expect((await refusal(`name,value\nS.AHU-1.T,${'1'.repeat(65)}\n`)).fields[0]?.path).toBe('rows[2].value');
  });

  it('allows line breaks and tabs in a description, but not other controls', async () => {
    expect((await read('name,description\nS.AHU-1.T,"Supply\n\tair"\n')).points[0]?.description).toBe('Supply\n\tair');
    expect((await refusal('name,description\nS.AHU-1.T,a\u0000b\n')).fields[0]?.path).toBe('rows[2].description');
  });

  it('refuses a header without a name column, or with more than 64 columns', async () => {
    expect((await refusal('value,units\n1,°C\n')).code).toBe('invalid_csv');
    expect((await refusal(`name${',x'.repeat(64)}\n`)).fields[0]?.message).toBe('at most 64 columns');
    expect((await refusal('')).code).toBe('invalid_csv');
  });

  it('stops reading at the first row past the job limit and answers 413', async () => {
    const limits = { ...DEFAULT_INPUT_LIMITS, maxPoints: 10 };
    const cpu = async (rows: number): Promise<number> => {
      const text = `name\n${'S.AHU-1.T\n'.repeat(rows)}`;
      let best = Number.POSITIVE_INFINITY;
      for (let r = 0; r < 5; r++) {
        const t0 = process.cpuUsage();
        await expect(readCsvJob(text, limits, new Pacer())).rejects.toMatchObject({ status: 413, code: 'too_many_points' });
        const t = process.cpuUsage(t0);
        best = Math.min(best, t.user + t.system);
      }
      return best;
    };
    await cpu(11);
    // 100,000 times the rows, about the same work: the rows past the limit are never read.
    expect(await cpu(1_100_000)).toBeLessThan(20 * (await cpu(11)) + 2000);
  });

  it('does the same work per row however the rows are shaped: four times the rows, about four times the time', async () => {
    // Shapes that would be quadratic in a naive reader: doubled quotes, long quoted fields, many short rows.
    const shapes = [
      (n: number) => `name,description\n${`S.AHU-1.T,"${'""'.repeat(50)}"\n`.repeat(n)}`,
      (n: number) => `name\n${'S.AHU-1.T\n'.repeat(n)}`,
      (n: number) => `name,description\n${`S.AHU-1.T,"${'x\n'.repeat(40)}"\n`.repeat(n)}`,
    ];
    for (const shape of shapes) {
      const time = async (n: number): Promise<number> => {
        const text = shape(n);
        let best = Number.POSITIVE_INFINITY;
        for (let r = 0; r < 5; r++) {
          const t0 = process.cpuUsage();
          const job = await readCsvJob(text, { ...DEFAULT_INPUT_LIMITS, maxPoints: 1e6 }, new Pacer(1e9));
          const t = process.cpuUsage(t0);
          expect(job.points).toHaveLength(n); // every row is read: the time below is the time of the whole job
          best = Math.min(best, t.user + t.system);
        }
        return best;
      };
      await time(5_000); // warm-up
      // Linear is 4×; quadratic would be 16×. The margins are for garbage collection and a machine shared with others:
      // measured 2.35–5.05 on both Node lines under load, which is why the floor is not closer to 4.
      const ratio = (await time(40_000)) / (await time(10_000));
      expect(ratio).toBeGreaterThan(1.5);
      expect(ratio).toBeLessThan(8);
    }
  });

  it('yields to the event loop while it reads a large body', async () => {
    const pacer = new Pacer(0);
    await readCsvJob(`name,value\n${'SITE1.AHU-01.SA-T,1\n'.repeat(20_000)}`, DEFAULT_INPUT_LIMITS, pacer);
    expect(pacer.yields).toBeGreaterThanOrEqual(20_000 / 256 - 1);
  });
});
