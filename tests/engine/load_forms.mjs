// Load XForms with @getodk/xforms-engine as a phone opens them: each form's jr:// attachments
// come from the files the server served (paths given on stdin), and a missing one is an error.
// Prints one JSON line: {name: [status, error or null, number of top-level nodes]}.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(path.join(process.cwd(), 'package.json'));
const engineEntry = require.resolve('@getodk/xforms-engine');
// The engine's bundled tree-sitter (emscripten) looks for CommonJS globals; jsdom gives the DOM.
globalThis.__dirname = path.dirname(engineEntry);
globalThis.__filename = engineEntry;
globalThis.require = require;
const { JSDOM } = require('jsdom');
const dom = new JSDOM('');
for (const key of ['DOMParser', 'XMLSerializer', 'Node', 'Document', 'XMLDocument', 'Element', 'Attr', 'Text',
  'CharacterData', 'Comment', 'ProcessingInstruction', 'DocumentFragment', 'XPathResult', 'NodeFilter']) {
  if (!(key in globalThis)) globalThis[key] = dom.window[key];
}
if (!('document' in globalThis)) globalThis.document = dom.window.document;
const { loadForm } = await import(engineEntry);

const items = JSON.parse(readFileSync(0, 'utf8'));
const results = {};
for (const item of items) {
  const xml = readFileSync(item.xml, 'utf8');
  const fetchFormAttachment = async (url) => {
    const name = decodeURIComponent(url.href.split('/').pop());
    const file = item.media[name];
    if (!file) return new Response('', { status: 404 });
    return new Response(readFileSync(file[0]), { status: 200, headers: { 'Content-Type': file[1] } });
  };
  try {
    const res = await loadForm(xml, { fetchFormAttachment, missingResourceBehavior: 'ERROR' });
    if (res.status === 'failure') {
      results[item.name] = ['failure', String(res.error && (res.error.message || res.error)), 0];
      continue;
    }
    const instance = res.createInstance();
    results[item.name] = [res.status, null, instance.root.currentState.children.length];
  } catch (err) {
    results[item.name] = ['exception', String(err && (err.stack || err)).slice(0, 500), 0];
  }
}
process.stdout.write(JSON.stringify(results) + '\n');
