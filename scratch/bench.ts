import { parseYamlConfig } from '/work/wt/trust/src/services/config/yaml.ts';
import { parseDocument, LineCounter } from 'yaml';
for (const n of [9000, 10000, 70000]) {
  const flow = `services:\n  web:\n    command: x\n    env: { ${Array.from({ length: n }, (_, i) => `K${i}: v`).join(', ')} }\n`;
  const block = `services:\n  web:\n    command: x\n    env:\n${Array.from({ length: n }, (_, i) => `      K${i}: v`).join('\n')}\n`;
  for (const [kind, text] of [['flow', flow], ['block', block]]) {
    let t = Date.now();
    const lc = new LineCounter();
    const doc = parseDocument(text, { uniqueKeys: false, lineCounter: lc });
    const tp = Date.now() - t; t = Date.now();
    try { parseYamlConfig(text, '/tmp/tend.yaml', '/tmp'); } catch (e) { }
    console.log(n, kind, 'parse', tp, 'ms; whole', Date.now() - t, 'ms', text.length, 'bytes');
  }
}
