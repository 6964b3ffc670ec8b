// Parses and validates an AsyncAPI document with the official parser (@asyncapi/parser).
// Usage: node check.mjs <document>. Prints every diagnostic; exits 1 when one is an error.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Parser, DiagnosticSeverity } from '@asyncapi/parser';

const path = process.argv[2];
if (!path) {
  console.error('usage: node check.mjs <asyncapi document>');
  process.exit(2);
}
const source = resolve(path);
const parser = new Parser();
const { document, diagnostics } = await parser.parse(await readFile(source, 'utf8'), { source });
const names = { 0: 'error', 1: 'warning', 2: 'information', 3: 'hint' };
for (const d of diagnostics) {
  const where = d.path && d.path.length ? d.path.join('.') : '(document)';
  console.log(`${names[d.severity] ?? d.severity} ${d.code}: ${d.message} at ${where}`);
}
const errors = diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error);
if (!document || errors.length) {
  console.log(`invalid: ${errors.length} error(s)`);
  process.exit(1);
}
console.log(`valid: AsyncAPI ${document.version()}, ${document.channels().length} channels, ${document.allMessages().length} messages`);
