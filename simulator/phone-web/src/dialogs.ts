/**
 * The two dialogs a citizen's phone shows: where am I (a location to send) and a date/time picker
 * (datetimepicker actions). Each answers a promise: the value, or undefined when cancelled.
 */
import { byId, clear, h } from '../../../web-shared/dom';
import { STICKERS } from './format';
import type { CitizenMessageBody } from '../../views';
import type { Action } from './line-json';

/** What the citizen sends of a message they choose in a dialog (a location, a sticker). */
type Chosen<T extends CitizenMessageBody['type']> = Omit<Extract<CitizenMessageBody, { type: T }>, 'type'>;

type Closer = (answer: string | undefined) => void;
let closeOpen: Closer | undefined;

/** Shows a dialog; answers the value of the button that submitted its form ('' for none), or undefined when cancelled. */
function open(modalId: string, formId: string, cancelId: string, focus: HTMLElement): Promise<string | undefined> {
  closeOpen?.(undefined);
  const modal = byId(modalId);
  const form = byId<HTMLFormElement>(formId);
  const cancel = byId(cancelId);
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  return new Promise((resolve) => {
    const done: Closer = (answer) => {
      modal.hidden = true;
      form.removeEventListener('submit', onSubmit);
      cancel.removeEventListener('click', onCancel);
      modal.removeEventListener('keydown', onKey);
      closeOpen = undefined;
      opener?.focus({ preventScroll: true });
      resolve(answer);
    };
    const onSubmit = (e: SubmitEvent) => {
      e.preventDefault();
      done(e.submitter instanceof HTMLButtonElement ? e.submitter.value : '');
    };
    const onCancel = () => done(undefined);
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') done(undefined);
    };
    form.addEventListener('submit', onSubmit);
    cancel.addEventListener('click', onCancel);
    modal.addEventListener('keydown', onKey);
    closeOpen = done;
    modal.hidden = false;
    focus.focus();
  });
}

export async function askLocation(): Promise<Chosen<'location'> | undefined> {
  const title = byId<HTMLInputElement>('loc-title');
  if ((await open('location-modal', 'location-form', 'location-cancel', byId('loc-address'))) === undefined) return undefined;
  const address = byId<HTMLInputElement>('loc-address').value.trim();
  const latitude = Number(byId<HTMLInputElement>('loc-lat').value);
  const longitude = Number(byId<HTMLInputElement>('loc-lng').value);
  if (!address || !Number.isFinite(latitude) || !Number.isFinite(longitude)) return undefined;
  return { ...(title.value.trim() ? { title: title.value.trim() } : {}), address, latitude, longitude };
}

/** The `params` key LINE uses for the action's mode: date, time or datetime. */
export const datetimeParam = (mode: string | undefined): 'date' | 'time' | 'datetime' => (mode === 'date' ? 'date' : mode === 'time' ? 'time' : 'datetime');

export async function askDatetime(a: Action): Promise<string | undefined> {
  const input = byId<HTMLInputElement>('dt-input');
  const param = datetimeParam(a.mode);
  input.type = param === 'datetime' ? 'datetime-local' : param;
  input.value = a.initial ?? '';
  if (a.min) input.min = a.min;
  else input.removeAttribute('min');
  if (a.max) input.max = a.max;
  else input.removeAttribute('max');
  byId('dt-title').textContent = a.label || '日時を選択';
  const answer = await open('dt-modal', 'dt-form', 'dt-cancel', input);
  return answer !== undefined && input.value ? input.value : undefined;
}

/** A sticker from the simulator's small set (LINE's images are not available offline). */
export async function askSticker(): Promise<Chosen<'sticker'> | undefined> {
  const grid = byId('sticker-grid');
  if (!grid.firstChild) {
    clear(grid);
    for (const s of STICKERS) {
      grid.append(
        h(
          'button',
          { type: 'submit', class: 'sticker-choice', value: `${s.packageId}/${s.stickerId}`, 'aria-label': s.name },
          h('span', { class: 'face', 'aria-hidden': 'true' }, s.face),
          h('span', { class: 'name' }, s.name),
        ),
      );
    }
  }
  const answer = await open('sticker-modal', 'sticker-form', 'sticker-cancel', grid.querySelector('button') ?? grid);
  const [packageId, stickerId] = (answer ?? '').split('/');
  return packageId && stickerId ? { packageId, stickerId } : undefined;
}
