// Check email HTML against caniemail.com's support data.
// Usage: node caniemail_check.mjs <caniemail package folder> <file.html>...
// Prints {"<feature>": ["<client>", ...]} for every feature a client does not support.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [packageDir, ...files] = process.argv.slice(2);
const { caniemail } = await import(pathToFileURL(join(packageDir, 'dist', 'index.js')).href);
const clients = ['gmail.*', 'outlook.windows', 'apple-mail.*'];
const unsupported = {};
for (const file of files) {
  const result = caniemail({ clients, html: readFileSync(file, 'utf8') });
  for (const [client, issues] of result.issues.errors) {
    for (const issue of issues) {
      (unsupported[issue.title] ??= new Set()).add(client);
    }
  }
}
const out = Object.fromEntries(
  Object.keys(unsupported).sort().map((title) => [title, [...unsupported[title]].sort()]),
);
console.log(JSON.stringify(out, null, 1));
