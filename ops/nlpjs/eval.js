// Trains NLP.js (node-nlp) on one JSONL file of {"text","intent"} and evaluates it on another, the way
// ops/nlu-eval does: intent "oos" marks out-of-scope (trained as its own intent; NLP.js's "None" also
// counts as out-of-scope). Prints one JSON object as its last line.
//   node eval.js TRAIN.jsonl TEST.jsonl
'use strict';
const fs = require('fs');
const { NlpManager } = require('node-nlp');

function read(file) {
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
}

async function main() {
  const [trainFile, testFile] = process.argv.slice(2);
  const train = read(trainFile);
  const test = read(testFile);
  const manager = new NlpManager({ languages: ['en'], forceNER: false, autoSave: false, nlu: { log: false } });
  for (const e of train) manager.addDocument('en', e.text, e.intent);
  const t0 = process.hrtime.bigint();
  await manager.train();
  const trainSeconds = Number(process.hrtime.bigint() - t0) / 1e9;

  const c0 = process.hrtime.bigint();
  const predicted = [];
  const top = []; // best real intent, ignoring NLP.js's own "None" rejection
  for (const e of test) {
    const r = await manager.process('en', e.text);
    predicted.push(!r.intent || r.intent === 'None' ? 'oos' : r.intent);
    const best = (r.classifications || []).find((c) => c.intent !== 'None');
    top.push(best ? best.intent : 'oos');
  }
  const classifySeconds = Number(process.hrtime.bigint() - c0) / 1e9;

  let right = 0, inScope = 0, inRight = 0, oosGold = 0, oosPred = 0, oosBoth = 0;
  const per = new Map();
  const get = (k) => { if (!per.has(k)) per.set(k, [0, 0, 0]); return per.get(k); };
  test.forEach((e, i) => {
    const p = predicted[i];
    if (p === e.intent) { right++; get(e.intent)[0]++; } else { get(p)[1]++; get(e.intent)[2]++; }
    if (e.intent === 'oos') oosGold++; else { inScope++; if (p === e.intent) inRight++; }
    if (p === 'oos') { oosPred++; if (e.intent === 'oos') oosBoth++; }
  });
  let f1 = 0, labels = 0;
  for (const [, [tp, fp, fn]] of per) {
    if (tp + fn === 0) continue;
    labels++;
    const prec = tp + fp === 0 ? 0 : tp / (tp + fp);
    const rec = tp / (tp + fn);
    f1 += prec + rec === 0 ? 0 : (2 * prec * rec) / (prec + rec);
  }
  let inTopRight = 0;
  test.forEach((e, i) => { if (e.intent !== 'oos' && top[i] === e.intent) inTopRight++; });
  const r4 = (x) => (x === null ? null : Math.round(x * 10000) / 10000);
  const out = {
    system: 'nlp.js',
    examples: test.length,
    accuracy: r4(right / test.length),
    macro_f1: r4(f1 / labels),
    in_scope_accuracy: r4(inScope ? inRight / inScope : null),
    oos_precision: r4(oosGold ? (oosPred ? oosBoth / oosPred : 0) : null),
    oos_recall: r4(oosGold ? oosBoth / oosGold : null),
    in_scope_accuracy_without_rejection: r4(inScope ? inTopRight / inScope : null),
    train_seconds: r4(trainSeconds),
    per_second: r4(test.length / classifySeconds),
  };
  console.log(`nlp.js: trained on ${train.length} in ${trainSeconds.toFixed(1)} s; accuracy ${out.accuracy}, `
    + `in-scope ${out.in_scope_accuracy}, oos recall ${out.oos_recall}, ${out.per_second.toFixed(0)} classified/s (one at a time)`);
  console.log(JSON.stringify(out));
}

main().catch((e) => { console.error(e); process.exit(1); });
