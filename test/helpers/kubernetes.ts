import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { parseAllDocuments, parse } from 'yaml';
import { ROOT } from './child.js';

/** Where the generated manifests are committed. */
export const MANIFEST_DIR = join(ROOT, 'deploy/kubernetes');
export const TESTRUN_CRD = join(ROOT, 'test/fixtures/k6-operator/testrun-crd.yaml');

export interface ParsedObject {
  /** Relative to deploy/kubernetes/. */
  file: string;
  object: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> }; [key: string]: unknown };
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return yamlFiles(path);
    return entry.name.endsWith('.yaml') ? [path] : [];
  });
}

/** Every object of every YAML file under `dir` (default: the committed deploy/kubernetes/), as kubectl would read them. */
export function committedObjects(dir = MANIFEST_DIR): ParsedObject[] {
  return yamlFiles(dir).sort().flatMap((path) =>
    parseAllDocuments(readFileSync(path, 'utf8'))
      .filter((doc) => doc.contents !== null)
      .map((doc) => {
        if (doc.errors.length > 0) throw new Error(`${path}: ${doc.errors.map((e) => e.message).join('; ')}`);
        return { file: relative(dir, path), object: doc.toJS() as ParsedObject['object'] };
      }),
  );
}

type Schema = Record<string, unknown>;

/**
 * The API server's view of a structural schema for `kubectl apply` (strict field validation, kubectl's default since
 * 1.27): a field the schema does not list is an error. CRD schemas say so by omission, JSON Schema needs
 * `additionalProperties: false`; objects marked x-kubernetes-preserve-unknown-fields and the top-level `metadata`
 * (checked by the API server itself) stay open. The `x-kubernetes-*` markers are dropped: ajv does not know them.
 */
function strictStructural(schema: Schema, path: string[] = []): Schema {
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key.startsWith('x-kubernetes-')) continue;
    if (key === 'properties' && typeof value === 'object' && value !== null) {
      out.properties = Object.fromEntries(Object.entries(value as Record<string, Schema>).map(([name, s]) => [name, strictStructural(s, [...path, name])]));
    } else if ((key === 'items' || key === 'additionalProperties') && typeof value === 'object' && value !== null) {
      out[key] = strictStructural(value as Schema, [...path, key]);
    } else if (key === 'anyOf' || key === 'allOf' || key === 'oneOf') {
      out[key] = (value as Schema[]).map((s) => strictStructural(s, path));
    } else out[key] = value;
  }
  const open = schema['x-kubernetes-preserve-unknown-fields'] === true || path.join('.') === 'metadata';
  if (out.properties !== undefined && out.additionalProperties === undefined && !open) out.additionalProperties = false;
  return out;
}

let compiled: ValidateFunction | undefined;

/** The TestRun CRD's openAPIV3Schema, compiled strictly (see strictStructural); compiled once (it takes seconds). */
export function testRunValidator(): ValidateFunction {
  compiled ??= compileTestRunSchema();
  return compiled;
}

function compileTestRunSchema(): ValidateFunction {
  const crd = parse(readFileSync(TESTRUN_CRD, 'utf8')) as {
    spec: { group: string; names: { kind: string }; versions: Array<{ name: string; served: boolean; storage: boolean; schema: { openAPIV3Schema: Schema } }> };
  };
  const version = crd.spec.versions.find((v) => v.storage);
  if (version === undefined || crd.spec.names.kind !== 'TestRun' || `${crd.spec.group}/${version.name}` !== 'k6.io/v1alpha1') throw new Error('not the k6.io/v1alpha1 TestRun CRD');
  const ajv = new Ajv({ allErrors: true, strict: false });
  // The formats Kubernetes' OpenAPI uses in this schema.
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
  ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
  return ajv.compile(strictStructural(version.schema.openAPIV3Schema));
}

export const describeErrors = (errors: ErrorObject[] | null | undefined): string =>
  (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}${e.params.additionalProperty ? ` (${String(e.params.additionalProperty)})` : ''}`).join('; ');

/** A DNS-1123 subdomain (object names) and label (namespaces, Service names). */
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** Label keys (optional DNS prefix, then a name) and values (at most 63 characters, alphanumeric at both ends). */
export const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
export const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;
