import { parseDocument, Parser, LineCounter, parse } from 'yaml';
const n = 70000;
const block = `services:\n  web:\n    command: x\n    env:\n${Array.from({ length: n }, (_, i) => `      K${i}: v`).join('\n')}\n`;
for (let r = 0; r < 2; r++) {
let t = Date.now(); let c = 0; for (const tok of new Parser().parse(block)) c++; console.log('cst', Date.now() - t);
t = Date.now(); parseDocument(block, { uniqueKeys: false }); console.log('doc nolc', Date.now() - t);
t = Date.now(); parseDocument(block, { uniqueKeys: false, lineCounter: new LineCounter() }); console.log('doc lc', Date.now() - t);
t = Date.now(); parseDocument(block, { uniqueKeys: false, keepSourceTokens: false, prettyErrors: false}); console.log('doc nopretty', Date.now() - t);
}
