/**
 * The forms CSV export in its own process, as the admin-api Lambda runs it (the whole admin-api
 * handler bundle loaded, same NODE_OPTIONS): the
 * DynamoDB form store's paged, segmented scan → responsesCsvStream → a sink that counts bytes.
 * Prints JSON {rows, bytes, seconds, rssAtRows, rssPeakMb, heapPeakMb, nodeOptions, heapLimitMb} so
 * bench/forms.ts can report the memory of the export itself, without the simulator, the gateway and
 * the other handlers that share the local runtime's process.
 * Env: TABLE_NAME, DYNAMODB_ENDPOINT, NODE_OPTIONS (the admin-api function's); argv[2] = formId.
 */
import { Writable } from 'node:stream';
import { getHeapStatistics } from 'node:v8';
import { pipeline } from 'node:stream/promises';
import { DynamoFormStore } from '../functions/adapters/aws/form-store';
import { DynamoResponseStore } from '../functions/adapters/aws/response-store';
// The whole admin-api function is loaded, as in the Lambda: its code and source map count too.
import '../functions/admin/handler';
import { responsesCsvStream } from '../functions/forms/csv';

const formId = process.argv[2];
if (!formId) throw new Error('usage: forms-export-child.ts <formId>');

const mb = (bytes: number) => bytes / 1024 / 1024;
const form = await new DynamoFormStore().get(formId);
if (!form) throw new Error(`no form ${formId}`);

const rssBeforeMb = mb(process.memoryUsage().rss);
const marks = [10_000, 50_000, 100_000];
const rssAtRows: { rows: number; mb: number }[] = [];
let rows = 0;
let bytes = 0;
let heapPeak = 0;
let rssPeak = 0;
const sample = () => {
  const m = process.memoryUsage();
  heapPeak = Math.max(heapPeak, m.heapUsed);
  rssPeak = Math.max(rssPeak, m.rss);
};
const sampler = setInterval(sample, 20);
const t0 = performance.now();
await pipeline(
  responsesCsvStream(form, new DynamoResponseStore().scan(formId), () => {
    rows += 1;
    if (marks.length && rows >= marks[0]) rssAtRows.push({ rows: marks.shift()!, mb: mb(process.memoryUsage().rss) });
  }),
  new Writable({
    write(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      done();
    },
  }),
);
clearInterval(sampler);
sample();
const seconds = (performance.now() - t0) / 1000;
console.log(
  JSON.stringify({
    rows,
    bytes,
    seconds,
    rssBeforeMb,
    rssAtRows,
    rssPeakMb: mb(Math.max(rssPeak, process.resourceUsage().maxRSS * 1024)),
    heapPeakMb: mb(heapPeak),
    nodeOptions: process.env.NODE_OPTIONS ?? '',
    heapLimitMb: mb(getHeapStatistics().heap_size_limit),
  }),
);
process.exit(0);
