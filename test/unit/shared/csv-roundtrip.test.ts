/**
 * Every export survives a real CSV parser (csv-parse, the reading side of csv-stringify) the way
 * Excel reads it: a cell typed on two lines stays one cell of one row, commas and quotes stay in
 * their cell, formula-looking cells come back as text with the neutralising quote.
 */
import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { auditCsv } from '../../../functions/audit/csv';
import { historyCsvStream } from '../../../functions/deliveries/history-csv';
import { responsesCsvStream } from '../../../functions/forms/csv';
import { newForm, type FormResponse } from '../../../functions/forms/form';
import { delivery } from '../../support/pipeline-fakes';

const HOSTILE = [
  '一行目\n二行目',
  '行末が CRLF\r\n次の行',
  '古い Mac の改行\rその後',
  'カンマ, を含む',
  '引用符 " を含む',
  '=HYPERLINK("http://evil")',
  '+81-968',
  '@SUM(A1)',
];

async function text(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Parsed as Excel does: BOM stripped, and ANY line break outside quotes (CRLF, LF or CR) ends a
 * record — only a quoted cell may hold one. (csv-parse's default would take a bare LF as data
 * once it has seen CRLF records, which Excel does not.)
 */
function rows(csv: string): string[][] {
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  return parse(csv, { bom: true, record_delimiter: ['\r\n', '\n', '\r'], relax_column_count: true }) as string[][];
}

/** What a cell should read back as: the value, with a quote in front when it looks like a formula. */
const expected = (value: string) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

describe('CSV exports read back through a CSV parser', () => {
  it('form responses: one row per answer, however many lines it has', async () => {
    const form = newForm({
      kind: 'survey',
      status: 'published',
      title: { ja: 'ご意見' },
      items: HOSTILE.map((_, i) => ({
        itemId: `q${i}`,
        type: 'text' as const,
        label: { ja: `質問${i}` },
        required: false,
        text: { multiline: true, maxLength: 2000 },
      })),
      by: 'tester',
      now: new Date('2026-11-24T01:00:00Z'),
    });
    const answers = Object.fromEntries(HOSTILE.map((v, i) => [`q${i}`, v]));
    const response: FormResponse = {
      responseId: 'r1',
      formId: form.formId,
      version: 1,
      userId: 'U1',
      displayName: '荒尾\n花子',
      answers,
      lang: 'ja',
      submittedAt: '2026-11-24T01:00:00.000Z',
    };
    const parsed = rows(
      await text(
        responsesCsvStream(
          form,
          (async function* () {
            yield [response, { ...response, userId: 'U2' }];
          })(),
        ),
      ),
    );
    expect(parsed).toHaveLength(3);
    const header = parsed[0];
    for (const [i, value] of HOSTILE.entries()) {
      const column = header.indexOf(`質問${i}`);
      expect(parsed[1][column]).toBe(expected(value));
      expect(parsed[2][column]).toBe(expected(value));
    }
    expect(parsed[1][header.indexOf('LINE表示名')]).toBe('荒尾\n花子');
    expect(parsed[2][0]).toBe('U2');
  });

  it('delivery history: a multi-line title stays in its row', async () => {
    const items = HOSTILE.map((title, i) => delivery({ deliveryId: `01JDELIVERY0000000000000A${i}`, title, category: '防災' }));
    const parsed = rows(
      await text(
        historyCsvStream(
          (async function* () {
            yield* items;
          })(),
        ),
      ),
    );
    expect(parsed).toHaveLength(HOSTILE.length + 1);
    const title = parsed[0].indexOf('タイトル');
    expect(parsed.slice(1).map((r) => r[title])).toEqual(HOSTILE.map(expected));
    expect(parsed.slice(1).map((r) => r[parsed[0].indexOf('配信ID')])).toEqual(items.map((d) => d.deliveryId));
  });

  it('audit log: multi-line summaries and before/after pictures stay in their row', () => {
    const entries = HOSTILE.map((summary, i) => ({
      id: `01JDA70000000000000000000${i}`,
      at: '2026-11-24T01:00:00.000Z',
      actor: 'tanaka',
      action: 'segment.updated' as const,
      target: 'segment:01',
      summary,
      ip: '203.0.113.7',
      before: { name: summary },
    }));
    const parsed = rows(auditCsv(entries));
    expect(parsed).toHaveLength(HOSTILE.length + 1);
    const summary = parsed[0].indexOf('概要');
    expect(parsed.slice(1).map((r) => r[summary])).toEqual(HOSTILE.map(expected));
    expect(parsed.slice(1).map((r) => r[r.length - 1])).toEqual(entries.map((e) => e.id));
  });
});
