/**
 * CSV of a form's responses: one row per citizen (the latest answer), one column per item of
 * every version (items are never deleted, only retired), Japanese labels, choice labels in
 * Japanese (several joined with "、"), UTF-8 BOM, formula-safe. Rows are produced page by page
 * from the repository, so memory stays flat however many citizens answered. A photo or video
 * cell is a link into the console's view of that answer (which asks for sign-in), not a bare ID.
 */
import { jstTimestamp } from '../shared/japan-time';
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { CSV_OPTIONS, neutraliseFormula } from '../shared/csv';
import { LANGUAGE_LABELS } from '../shared/languages';
import type { Form, FormResponse, Item } from './form';

const FIXED = ['ユーザーID', 'LINE表示名', '回答日時（日本時間）', 'フォーム版', '言語', '同意日時（日本時間）'];

export function responseColumns(form: Form): string[] {
  return [...FIXED, ...form.items.map((i) => (i.retired ? `${i.label.ja}（廃止）` : i.label.ja))];
}

/** Where a staff member opens one citizen's answer in the console (absolute URL). */
export type AnswerLink = (userId: string, itemId: string) => string;

/** One answer in words: choice labels in Japanese (several joined with "、"), a photo or video as `link()`. */
export function answerText(item: Item, value: FormResponse['answers'][string] | undefined, link: () => string): string {
  if (value === undefined || value === '') return '';
  if (item.type === 'image' || item.type === 'video') return link();
  if (item.choices) {
    const label = (id: string) => item.choices!.find((c) => c.choiceId === id)?.label.ja ?? id;
    return Array.isArray(value) ? value.map(label).join('、') : label(value);
  }
  return Array.isArray(value) ? value.join('、') : value;
}

export function responseRow(form: Form, r: FormResponse, answerLink?: AnswerLink): string[] {
  return [
    r.userId,
    r.displayName ?? '',
    jstTimestamp(r.submittedAt),
    String(r.version),
    LANGUAGE_LABELS[r.lang] ?? r.lang,
    r.consentedAt ? jstTimestamp(r.consentedAt) : '',
    ...form.items.map((item) =>
      answerText(item, r.answers[item.itemId], () => (answerLink ? answerLink(r.userId, item.itemId) : String(r.answers[item.itemId]))),
    ),
  ].map(neutraliseFormula);
}

/**
 * A byte stream of the CSV. Pages are pulled only as fast as the consumer reads
 * (Readable.from over an async generator → csv-stringify), so a slow client never piles rows up.
 */
export function responsesCsvStream(form: Form, pages: AsyncIterable<FormResponse[]>, onRow?: () => void, answerLink?: AnswerLink): Readable {
  async function* rows() {
    yield responseColumns(form);
    for await (const page of pages) {
      for (const r of page) {
        onRow?.();
        yield responseRow(form, r, answerLink);
      }
    }
  }
  const source = Readable.from(rows(), { objectMode: true, highWaterMark: 64 });
  const csv = stringify(CSV_OPTIONS);
  source.on('error', (e) => csv.destroy(e));
  return source.pipe(csv);
}
