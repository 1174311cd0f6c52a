/**
 * Citizen LIFF pages: /liff/forms/<formId> (or ?formId=), and /liff/reports/place (place.ts, its own chunk).
 * boot: token source (simulator fragment | LIFF SDK) → language → GET form → render → submit → thanks.
 * Every server-provided text goes in as text (textContent), never as HTML.
 */
import './style.css';
import { ApiError, fetchUpload, getForm, recordClick, submitResponse, upload } from './api';
import { h, uid } from '../../web-shared/dom';
import { initI18n, setLang, t } from './i18n';
import { LANGS, LANGUAGE_OWN_NAMES, type Lang } from '../../functions/shared/languages';
import { chooseLang, htmlLang } from './lang';
import { prefill, text, visibleItems, type AnswerValue, type Answers, type FormAnswer, type Item } from './model';
import { formIdFrom, pageFrom } from './route';
import type { PlaceMessage } from './place-model';
import type { StringKey } from './strings';
import { JAPAN_TIME_ZONE } from '../../functions/shared/japan-time';
import { CLICK_PARAM } from '../../functions/shared/liff-url';
import { CHOICE_TYPES, MEDIA_TYPES } from '../../functions/forms/vocabulary';
import { clickRefOf, tokenSource, tokenSubject } from './token';
import { answersToSend, checkFile, checkForm, checkItem, formatBytes, textInputHints, toHalfWidth, type Problem } from './validate';

const LANG_KEY = 'civic-line.liff.lang';
const app = document.getElementById('app') as HTMLElement;

interface UploadState {
  status: 'uploading' | 'done' | 'error' | 'before';
  percent: number;
  previewUrl?: string;
  fileName?: string;
  size?: number;
  kind: 'image' | 'video';
  message?: string;
  abort?: () => void;
}

interface Field {
  item: Item;
  wrapper: HTMLElement;
  error: HTMLElement;
  focus: () => void;
  refreshUpload?: () => void;
}

const state = {
  lang: 'ja' as Lang,
  token: '',
  langKey: LANG_KEY,
  formId: '',
  close: (): void => {
    // Simulator overlay: tell the phone page (it may close the overlay), then show "done".
    window.parent?.postMessage({ type: 'liff.closeWindow' }, '*');
  },
  /** liff.sendMessages() inside LINE; in the simulator the place picker asks the phone instead. */
  sendMessages: undefined as ((messages: PlaceMessage[]) => Promise<void>) | undefined,
  data: undefined as FormAnswer | undefined,
  items: [] as Item[],
  answers: {} as Answers,
  consent: false,
  prefilled: false,
  problems: {} as Record<string, Problem>,
  serverErrors: {} as Record<string, string>,
  consentError: '',
  uploads: {} as Record<string, UploadState>,
  submitting: false,
  view: 'loading' as 'loading' | 'form' | 'message' | 'thanks',
  fields: new Map<string, Field>(),
};

void boot();

async function boot(): Promise<void> {
  const src = tokenSource(location.hash);
  let lineLanguage: string | undefined;
  // Language for the very first screens (loading, SDK errors) before LINE tells us its own.
  await initI18n(chooseLang({ query: queryLang(), browser: navigator.languages ?? [navigator.language] }));
  if (src.kind === 'simulator') {
    // The simulator's phone stands in for LINE: the token and the LINE app's language come with the page.
    state.token = src.idToken;
    lineLanguage = src.language;
  } else {
    try {
      const liffId = src.liffId ?? (await runtimeLiffId());
      const { startLine } = await import('./line-sdk');
      const session = await startLine(liffId);
      state.token = session.idToken;
      lineLanguage = session.language;
      state.close = session.close;
      state.sendMessages = session.sendMessages;
    } catch {
      return showMessage('token.title', 'token.body', { retry: true });
    }
  }
  // The citizen's own pick on the switcher (kept per LINE user) wins; otherwise LINE's language.
  state.langKey = langKeyFor(state.token);
  state.lang = chooseLang({ query: queryLang(), stored: readStored(state.langKey), line: lineLanguage, browser: navigator.languages ?? [navigator.language] });
  await applyLang(state.lang);
  reportClick();
  if (pageFrom(location.pathname, location.search) === 'place') return openPlacePicker();
  const formId = formIdFrom(location.pathname, location.search);
  if (!formId) return showMessage('notFound.title', 'noForm.body');
  state.formId = formId;
  await load({ keepAnswers: false });
}

function queryLang(): string | null {
  return new URLSearchParams(location.search).get('lang');
}

/** Where this citizen's language pick is kept: per LINE user, so one phone or browser can serve several. */
function langKeyFor(idToken: string): string {
  const sub = tokenSubject(idToken);
  return sub ? `${LANG_KEY}.${sub}` : LANG_KEY;
}

function readStored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // storage blocked (third-party iframe, private mode)
  }
}

/**
 * Opened from a counted link of a delivery (`clk` in the address): report it once, then drop it
 * from the address so a reload does not report again (the server counts a citizen once anyway).
 */
function reportClick(): void {
  const ref = clickRefOf(location.search);
  if (!ref) return;
  const url = new URL(location.href);
  url.searchParams.delete(CLICK_PARAM);
  history.replaceState(history.state, '', url.pathname + url.search + url.hash);
  void recordClick(state.token, ref).catch(() => undefined); // a lost click count never blocks the form
}

/** The place picker of a damage report: loaded only for it (the map library is its own chunk). */
async function openPlacePicker(): Promise<void> {
  render(h('p', { class: 'state-loading', role: 'status' }, t('loading')), { switcher: false });
  try {
    const { showPlacePicker } = await import('./place');
    showPlacePicker(app, { close: state.close, sendMessages: state.sendMessages });
  } catch {
    showMessage('network.title', 'network.body', { retry: true });
  }
}

async function runtimeLiffId(): Promise<string> {
  const res = await fetch(`${import.meta.env.BASE_URL}config.json`, { cache: 'no-cache' });
  const cfg = (await res.json()) as { liffId?: string };
  if (!cfg.liffId) throw new Error('liffId missing');
  return cfg.liffId;
}

async function applyLang(lang: Lang): Promise<void> {
  state.lang = lang;
  await setLang(lang);
  document.documentElement.lang = htmlLang(lang);
}

// ---------------------------------------------------------------- loading and states

async function load(opts: { keepAnswers: boolean }): Promise<void> {
  if (!opts.keepAnswers) {
    state.view = 'loading';
    render(h('p', { class: 'state-loading', role: 'status' }, t('loading')));
  } else app.setAttribute('aria-busy', 'true');
  try {
    const data = await getForm(state.token, state.formId, state.lang);
    state.data = data;
    state.items = visibleItems(data.form);
    if (!opts.keepAnswers) {
      state.answers = prefill(state.items, data.answers);
      state.prefilled = Object.keys(state.answers).length > 0;
      state.consent = state.prefilled && !!data.form.consent; // they agreed when they sent it
      state.uploads = {};
      for (const item of state.items) {
        const v = state.answers[item.itemId];
        if ((item.type === 'image' || item.type === 'video') && typeof v === 'string') {
          state.uploads[item.itemId] = { status: 'before', percent: 100, kind: item.type };
        }
      }
    }
    state.serverErrors = {};
    document.title = text(data.form.title, state.lang);
    if (data.closed) return showClosed(data);
    renderForm();
  } catch (e) {
    showLoadError(e);
  } finally {
    app.removeAttribute('aria-busy');
  }
}

function showLoadError(e: unknown): void {
  const err = e instanceof ApiError ? e : new ApiError(0, 'network', '');
  if (err.status === 401) return showMessage('token.title', 'token.body');
  if (err.status === 404 || err.status === 403) return showMessage('notFound.title', 'notFound.body');
  if (err.status === 409 && state.data) return showClosed(state.data);
  if (err.status === 0) return showMessage('network.title', 'network.body', { retry: true });
  return showMessage('error.title', 'error.server', { retry: true, detail: err.message });
}

function showMessage(title: StringKey, body: StringKey, opts: { retry?: boolean; detail?: string; extra?: Node } = {}): void {
  state.view = 'message';
  render(
    h(
      'section',
      { class: 'state', 'aria-labelledby': 'state-title' },
      h('div', { class: 'state-icon', 'aria-hidden': 'true' }, title === 'network.title' ? '⚠' : 'ℹ'),
      h('h1', { id: 'state-title', tabindex: '-1' }, t(title)),
      h('p', {}, t(body)),
      opts.detail ? h('p', { class: 'muted' }, opts.detail) : null,
      opts.extra ?? null,
      opts.retry
        ? h(
            'button',
            { type: 'button', class: 'btn btn-primary', on: { click: () => (state.formId ? load({ keepAnswers: false }) : location.reload()) } },
            t('retry'),
          )
        : null,
    ),
    { switcher: true },
  );
  (document.getElementById('state-title') as HTMLElement | null)?.focus();
}

function showClosed(data: FormAnswer): void {
  const { opensAt, closesAt } = data.form;
  const period =
    opensAt || closesAt
      ? h('p', { class: 'muted' }, t('closed.period', { from: opensAt ? formatDate(opensAt) : '', to: closesAt ? formatDate(closesAt) : '' }))
      : undefined;
  showMessage('closed.title', 'closed.body', { extra: h('div', {}, h('p', { class: 'form-name' }, text(data.form.title, state.lang)), period) });
}

function formatDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(htmlLang(state.lang), { dateStyle: 'medium', timeStyle: 'short', timeZone: JAPAN_TIME_ZONE }).format(d);
}

// ---------------------------------------------------------------- shell

function render(content: Node, opts: { switcher?: boolean } = { switcher: true }): void {
  app.replaceChildren(...(opts.switcher ? [langSwitcher()] : []), content);
  window.scrollTo(0, 0);
}

function langSwitcher(): HTMLElement {
  return h(
    'nav',
    { class: 'langs', 'aria-label': `${t('language')} / Language` },
    LANGS.map((lang) =>
      h(
        'button',
        {
          type: 'button',
          lang: htmlLang(lang),
          class: lang === state.lang ? 'lang current' : 'lang',
          'aria-pressed': lang === state.lang ? 'true' : 'false',
          on: { click: () => void switchLang(lang) },
        },
        LANGUAGE_OWN_NAMES[lang],
      ),
    ),
  );
}

async function switchLang(lang: Lang): Promise<void> {
  if (lang === state.lang) return;
  try {
    localStorage.setItem(state.langKey, lang);
  } catch {
    // not remembered; fine
  }
  await applyLang(lang);
  if (!state.formId || !state.token) return location.reload();
  if (state.view === 'thanks') {
    // Stay on the thank-you screen; only the form's title needs the new language.
    try {
      state.data = await getForm(state.token, state.formId, lang);
    } catch {
      // keep the old title
    }
    return showThanks();
  }
  // Keep what the citizen has typed; only the texts change.
  await load({ keepAnswers: state.view === 'form' });
}

// ---------------------------------------------------------------- the form

function renderForm(): void {
  const data = state.data as FormAnswer;
  const form = data.form;
  state.fields.clear();
  state.view = 'form';
  const description = text(form.description, state.lang);
  const summary = h('div', { id: 'summary', class: 'summary', role: 'alert', tabindex: '-1', hidden: true });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: 'submit' }, t('submit'));
  const el = h(
    'form',
    { class: 'form', noValidate: true, 'aria-labelledby': 'form-title', on: { submit: (e) => void onSubmit(e, submit) } },
    h(
      'header',
      { class: 'form-head' },
      h('h1', { id: 'form-title' }, text(form.title, state.lang)),
      description ? h('p', { class: 'description' }, description) : null,
    ),
    state.prefilled ? h('p', { class: 'note' }, t('prefilled')) : null,
    summary,
    state.items.map((item) => renderItem(item)),
    form.consent ? renderConsent(form.consent) : null,
    h('div', { class: 'actions' }, submit),
  );
  render(el);
  // Errors that survive a language switch: the client's own (re-translated).
  for (const [itemId, p] of Object.entries(state.problems)) setFieldError(itemId, problemText(p));
}

function problemText(p: Problem, item?: Item): string {
  if (p.key === 'required' && item && CHOICE_TYPES.has(item.type)) return t('error.requiredChoice');
  if (p.key === 'required' && item && MEDIA_TYPES.has(item.type)) return t('error.uploadRequired');
  return t(`error.${p.key}` as StringKey, p.params);
}

function renderItem(item: Item): HTMLElement {
  const id = `field-${item.itemId}`;
  const labelId = uid('label');
  const helpText = text(item.help, state.lang);
  const helpId = helpText ? uid('help') : undefined;
  const errorId = uid('error');
  const error = h('p', { class: 'field-error', id: errorId, hidden: true });
  const describedBy = [helpId, errorId].filter(Boolean).join(' ');
  const badge = h('span', { class: item.required ? 'badge required' : 'badge' }, t(item.required ? 'required' : 'optional'));
  const labelText = text(item.label, state.lang);
  const help = helpText ? h('p', { class: 'help', id: helpId }, helpText) : null;
  const grouped = item.type === 'single' || item.type === 'multiple';

  let control: Node;
  let focus: () => void;
  let refreshUpload: (() => void) | undefined;
  switch (item.type) {
    case 'single':
    case 'multiple': {
      const multiple = item.type === 'multiple';
      const current = state.answers[item.itemId];
      const inputs = (item.choices ?? []).map((c) => {
        const checked = multiple ? Array.isArray(current) && current.includes(c.choiceId) : current === c.choiceId;
        const input = h('input', {
          type: multiple ? 'checkbox' : 'radio',
          name: item.itemId,
          value: c.choiceId,
          checked,
          on: {
            change: () => {
              if (multiple) {
                const boxes = Array.from(document.querySelectorAll<HTMLInputElement>(`input[name="${CSS.escape(item.itemId)}"]`));
                setAnswer(
                  item,
                  boxes.filter((b) => b.checked).map((b) => b.value),
                );
              } else setAnswer(item, c.choiceId);
            },
          },
        });
        return h('label', { class: 'choice' }, input, h('span', {}, text(c.label, state.lang)));
      });
      control = h('div', { class: 'choices' }, inputs);
      focus = () => (inputs[0]?.querySelector('input') as HTMLInputElement | null)?.focus();
      break;
    }
    case 'dropdown': {
      const select = h(
        'select',
        { id, 'aria-describedby': describedBy, required: item.required, on: { change: (e) => setAnswer(item, (e.target as HTMLSelectElement).value) } },
        h('option', { value: '' }, t('selectPlaceholder')),
        (item.choices ?? []).map((c) => h('option', { value: c.choiceId, selected: state.answers[item.itemId] === c.choiceId }, text(c.label, state.lang))),
      );
      control = select;
      focus = () => select.focus();
      break;
    }
    case 'text': {
      const rules = item.text ?? {};
      const hints = textInputHints(item);
      const value = (state.answers[item.itemId] as string | undefined) ?? '';
      const counter = rules.maxLength ? h('span', { class: 'counter', 'aria-hidden': 'true' }) : null;
      const updateCounter = (v: string) => counter && (counter.textContent = t('counter', { count: Array.from(v).length, max: rules.maxLength as number }));
      const common = {
        id,
        value,
        'aria-describedby': describedBy,
        required: item.required,
        inputmode: hints.inputMode,
        autocapitalize: hints.autocapitalize,
        autocomplete: 'off',
        on: {
          input: (e: Event) => {
            const v = (e.target as HTMLInputElement).value;
            updateCounter(v);
            setAnswer(item, v);
          },
          change: (e: Event) => {
            const input = e.target as HTMLInputElement;
            if (rules.charset === 'alphanumeric' || rules.charset === 'numeric') input.value = toHalfWidth(input.value);
            setAnswer(item, input.value);
          },
        },
      };
      const input = rules.multiline ? h('textarea', { ...common, rows: 4 }) : h('input', { ...common, type: 'text', pattern: hints.pattern });
      updateCounter(value);
      const charset = rules.charset === 'numeric' ? t('charsetNumeric') : rules.charset === 'alphanumeric' ? t('charsetAlphanumeric') : '';
      const hint = [charset, text(rules.patternHint, state.lang)].filter(Boolean).join(' / ');
      control = h('div', { class: 'text-wrap' }, input, hint || counter ? h('div', { class: 'text-meta' }, h('span', {}, hint), counter) : null);
      focus = () => input.focus();
      break;
    }
    case 'date': {
      const input = h('input', {
        id,
        type: 'date',
        value: (state.answers[item.itemId] as string | undefined) ?? '',
        'aria-describedby': describedBy,
        required: item.required,
        on: { change: (e) => setAnswer(item, (e.target as HTMLInputElement).value) },
      });
      control = input;
      focus = () => input.focus();
      break;
    }
    case 'image':
    case 'video': {
      const built = renderUpload(item, id, labelId, describedBy);
      control = built.node;
      focus = built.focus;
      refreshUpload = built.refresh;
      break;
    }
    default:
      control = h('p', { class: 'muted' }, '—');
      focus = () => undefined;
  }

  const titleRow = h('span', { class: 'label-row' }, h('span', { class: 'label-text' }, labelText), badge);
  const wrapper = grouped
    ? h(
        'fieldset',
        { class: 'field', id, 'aria-describedby': describedBy },
        h('legend', { id: labelId }, titleRow),
        item.type === 'multiple' ? h('p', { class: 'help' }, t('multipleHint')) : null,
        help,
        control,
        error,
      )
    : h(
        'div',
        { class: 'field' },
        h('label', { for: item.type === 'image' || item.type === 'video' ? `${id}-file` : id, id: labelId }, titleRow),
        help,
        control,
        error,
      );
  state.fields.set(item.itemId, { item, wrapper, error, focus, refreshUpload });
  return wrapper;
}

function renderUpload(item: Item, id: string, labelId: string, describedBy: string): { node: HTMLElement; focus: () => void; refresh: () => void } {
  const kind = item.type as 'image' | 'video';
  const buttonLabelId = uid('btn');
  const input = h('input', {
    id: `${id}-file`,
    type: 'file',
    class: 'visually-hidden',
    accept: (item.media?.types ?? []).join(',') || (kind === 'image' ? 'image/*' : 'video/*'),
    'aria-labelledby': `${labelId} ${buttonLabelId}`,
    'aria-describedby': describedBy,
    on: {
      change: () => {
        const file = input.files?.[0];
        input.value = '';
        if (file) startUpload(item, file);
      },
    },
  });
  const pick = h('label', { for: `${id}-file`, class: 'btn btn-secondary file-pick', id: buttonLabelId });
  const preview = h('div', { class: 'upload-preview' });
  const node = h('div', { class: 'upload' }, input, preview, pick);
  const refresh = () => {
    const u = state.uploads[item.itemId];
    pick.textContent = u && u.status !== 'error' ? t('changeFile') : t(kind === 'image' ? 'chooseImage' : 'chooseVideo');
    preview.replaceChildren();
    if (!u) return;
    const media = u.previewUrl && kind === 'image' ? h('img', { src: u.previewUrl, alt: u.fileName ?? '' }) : null;
    const name = u.fileName ? `${u.fileName}${u.size ? ` (${formatBytes(u.size)})` : ''}` : u.status === 'before' ? t('uploadedBefore') : '';
    const status =
      u.status === 'uploading'
        ? h('div', { class: 'progress', role: 'status' }, h('progress', { max: 100, value: u.percent }), h('span', {}, t('uploading', { percent: u.percent })))
        : u.status === 'error'
          ? h('p', { class: 'upload-error', role: 'alert' }, u.message ?? t('uploadFailed'))
          : h('p', { class: 'upload-ok' }, `✓ ${u.status === 'before' ? t('uploadedBefore') : t('uploaded')}`);
    const remove =
      u.status !== 'uploading' ? h('button', { type: 'button', class: 'btn-link', on: { click: () => removeUpload(item) } }, t('removeFile')) : null;
    preview.append(
      h(
        'div',
        { class: 'upload-card' },
        media,
        h('div', { class: 'upload-info' }, name && u.status !== 'before' ? h('p', { class: 'file-name' }, name) : null, status, remove),
      ),
    );
  };
  refresh();
  const u = state.uploads[item.itemId];
  const v = state.answers[item.itemId];
  if (u?.status === 'before' && !u.previewUrl && kind === 'image' && typeof v === 'string') {
    fetchUpload(state.token, v)
      .then((blob) => {
        if (state.uploads[item.itemId] !== u) return;
        u.previewUrl = URL.createObjectURL(blob);
        refresh();
      })
      .catch(() => undefined); // the preview is a nicety; the answer stays
  }
  return { node, focus: () => input.focus(), refresh };
}

function startUpload(item: Item, file: File): void {
  const problem = checkFile(item, file);
  const previous = state.uploads[item.itemId];
  previous?.abort?.();
  if (problem) {
    state.uploads[item.itemId] = {
      status: 'error',
      percent: 0,
      kind: item.type as 'image' | 'video',
      fileName: file.name,
      size: file.size,
      message: problemText(problem),
    };
    delete state.answers[item.itemId];
    state.fields.get(item.itemId)?.refreshUpload?.();
    return;
  }
  const kind = item.type as 'image' | 'video';
  const u: UploadState = {
    status: 'uploading',
    percent: 0,
    kind,
    fileName: file.name,
    size: file.size,
    previewUrl: kind === 'image' ? URL.createObjectURL(file) : undefined,
  };
  state.uploads[item.itemId] = u;
  delete state.answers[item.itemId];
  const refresh = () => state.fields.get(item.itemId)?.refreshUpload?.();
  const job = upload(state.token, { formId: state.formId, itemId: item.itemId, lang: state.lang }, file, (f) => {
    u.percent = Math.min(99, Math.round(f * 100));
    refresh();
  });
  u.abort = job.abort;
  refresh();
  job.done
    .then((res) => {
      if (state.uploads[item.itemId] !== u) return;
      u.status = 'done';
      u.percent = 100;
      u.abort = undefined;
      state.answers[item.itemId] = res.uploadId;
      setFieldError(item.itemId, '');
      delete state.problems[item.itemId];
      refresh();
    })
    .catch((e: unknown) => {
      if (state.uploads[item.itemId] !== u) return;
      const err = e instanceof ApiError ? e : new ApiError(0, 'network', '');
      if (err.code === 'aborted') return;
      if (err.status === 401) return showMessage('token.title', 'token.body');
      u.status = 'error';
      u.abort = undefined;
      u.message =
        err.message && err.status !== 0
          ? err.message
          : err.status === 413
            ? problemText({ key: 'fileSize', params: { max: formatBytes(item.media?.maxBytes ?? 0) } })
            : err.status === 415
              ? t('error.fileType')
              : err.status === 0
                ? `${t('uploadFailed')}: ${t('network.title')}`
                : t('uploadFailed');
      refresh();
    });
}

function removeUpload(item: Item): void {
  state.uploads[item.itemId]?.abort?.();
  delete state.uploads[item.itemId];
  delete state.answers[item.itemId];
  state.fields.get(item.itemId)?.refreshUpload?.();
}

function setAnswer(item: Item, value: AnswerValue): void {
  if (value === '' || (Array.isArray(value) && value.length === 0)) delete state.answers[item.itemId];
  else state.answers[item.itemId] = value;
  // Errors appear on submit (a message popping up on blur moves the button under the citizen's
  // finger); a field that shows one is re-checked as it is fixed.
  if (state.problems[item.itemId] === undefined && state.serverErrors[item.itemId] === undefined) return;
  delete state.serverErrors[item.itemId];
  const p = checkItem(item, state.answers[item.itemId]);
  if (p) {
    state.problems[item.itemId] = p;
    setFieldError(item.itemId, problemText(p, item));
  } else {
    delete state.problems[item.itemId];
    setFieldError(item.itemId, '');
  }
}

function setFieldError(itemId: string, message: string): void {
  const field = state.fields.get(itemId);
  if (!field) return;
  field.error.textContent = message;
  field.error.hidden = !message;
  field.wrapper.classList.toggle('has-error', !!message);
  const controls = field.wrapper.querySelectorAll('input, select, textarea');
  controls.forEach((c) => (message ? c.setAttribute('aria-invalid', 'true') : c.removeAttribute('aria-invalid')));
}

function renderConsent(consent: NonNullable<FormAnswer['form']['consent']>): HTMLElement {
  const body = text(consent.text, state.lang);
  const links = consent.links
    .filter((l) => /^https?:\/\//i.test(l.url)) // never javascript: or data: from a form definition
    .map((l) => h('li', {}, h('a', { href: l.url, target: '_blank', rel: 'noopener noreferrer' }, text(l.label, state.lang))));
  const error = h('p', { class: 'field-error', id: 'consent-error', hidden: !state.consentError }, state.consentError);
  const box = h('input', {
    type: 'checkbox',
    id: 'consent',
    checked: state.consent,
    required: true,
    'aria-describedby': 'consent-error',
    on: {
      change: (e) => {
        state.consent = (e.target as HTMLInputElement).checked;
        if (state.consent) setConsentError('');
      },
    },
  });
  return h(
    'fieldset',
    { class: 'field consent', id: 'field-consent' },
    h(
      'legend',
      {},
      h('span', { class: 'label-row' }, h('span', { class: 'label-text' }, t('consentTitle')), h('span', { class: 'badge required' }, t('required'))),
    ),
    body ? h('p', { class: 'consent-text' }, body) : null,
    links.length ? h('ul', { class: 'consent-links' }, links) : null,
    h('label', { class: 'choice consent-check', for: 'consent' }, box, h('span', {}, t('consentAgree'))),
    error,
  );
}

function setConsentError(message: string): void {
  state.consentError = message;
  const el = document.getElementById('consent-error');
  if (el) {
    el.textContent = message;
    el.hidden = !message;
    document.getElementById('field-consent')?.classList.toggle('has-error', !!message);
  }
}

function showSummary(entries: { itemId: string; label: string; message: string }[], headline?: string): void {
  const summary = document.getElementById('summary');
  if (!summary) return;
  summary.replaceChildren(h('p', { class: 'summary-title' }, headline ?? t('summary', { count: entries.length })));
  if (entries.length)
    summary.append(
      h(
        'ul',
        {},
        entries.map((e) =>
          h(
            'li',
            {},
            h(
              'a',
              {
                href: `#field-${e.itemId}`,
                on: {
                  click: (ev) => {
                    ev.preventDefault();
                    if (e.itemId === 'consent') document.getElementById('consent')?.focus();
                    else state.fields.get(e.itemId)?.focus();
                  },
                },
              },
              e.label ? `${e.label}${state.lang === 'en' || state.lang === 'ko' ? ': ' : '：'}${e.message}` : e.message,
            ),
          ),
        ),
      ),
    );
  summary.hidden = false;
  summary.focus();
  summary.scrollIntoView({ block: 'start' });
}

function hideSummary(): void {
  const summary = document.getElementById('summary');
  if (summary) summary.hidden = true;
}

async function onSubmit(e: Event, button: HTMLButtonElement): Promise<void> {
  e.preventDefault();
  if (state.submitting) return;
  const form = (state.data as FormAnswer).form;
  if (Object.values(state.uploads).some((u) => u.status === 'uploading')) return showSummary([], t('error.uploading'));

  // 1. The client's mirror of the server's checks.
  state.problems = checkForm(state.items, state.answers);
  const entries: { itemId: string; label: string; message: string }[] = [];
  for (const item of state.items) {
    const p = state.problems[item.itemId];
    const message = p ? problemText(p, item) : '';
    setFieldError(item.itemId, message);
    if (p) entries.push({ itemId: item.itemId, label: text(item.label, state.lang), message });
  }
  if (form.consent && !state.consent) {
    setConsentError(t('error.consent'));
    entries.push({ itemId: 'consent', label: t('consentTitle'), message: t('error.consent') });
  }
  if (entries.length) return showSummary(entries);
  hideSummary();

  // 2. The server decides.
  state.submitting = true;
  button.disabled = true;
  button.textContent = t('submitting');
  try {
    await submitResponse(state.token, state.formId, state.lang, answersToSend(state.items, state.answers));
    showThanks();
  } catch (err) {
    const apiErr = err instanceof ApiError ? err : new ApiError(0, 'network', '');
    if (apiErr.status === 401) return showMessage('token.title', 'token.body');
    if (apiErr.status === 409 || apiErr.code === 'form_closed') return showClosed({ ...(state.data as FormAnswer), closed: true });
    if (apiErr.status === 404) return showMessage('notFound.title', 'notFound.body');
    if (apiErr.status === 400 && Object.keys(apiErr.fields).length) {
      state.serverErrors = apiErr.fields;
      const list: { itemId: string; label: string; message: string }[] = [];
      for (const [itemId, message] of Object.entries(apiErr.fields)) {
        const field = state.fields.get(itemId);
        if (itemId === 'consent') {
          setConsentError(message);
          list.push({ itemId, label: t('consentTitle'), message });
        } else {
          setFieldError(itemId, message);
          list.push({ itemId, label: field ? text(field.item.label, state.lang) : '', message });
        }
      }
      showSummary(list, apiErr.message || undefined);
    } else if (apiErr.status === 0) {
      showSummary([], `${t('network.title')} — ${t('network.body')}`);
    } else {
      showSummary([], apiErr.message || t('error.server'));
    }
  } finally {
    state.submitting = false;
    button.disabled = false;
    button.textContent = t('submit');
  }
}

function showThanks(): void {
  state.view = 'thanks';
  const hint = h('p', { class: 'muted', hidden: true, role: 'status' }, t('thanks.closeHint'));
  render(
    h(
      'section',
      { class: 'state thanks', 'aria-labelledby': 'state-title' },
      h('div', { class: 'state-icon ok', 'aria-hidden': 'true' }, '✓'),
      h('h1', { id: 'state-title', tabindex: '-1' }, t('thanks.title')),
      h('p', { class: 'form-name' }, text(state.data?.form.title, state.lang)),
      h('p', {}, t('thanks.body')),
      h(
        'button',
        {
          type: 'button',
          class: 'btn btn-primary',
          on: {
            click: () => {
              state.close();
              hint.hidden = false;
            },
          },
        },
        t('close'),
      ),
      h('button', { type: 'button', class: 'btn btn-secondary', on: { click: () => void load({ keepAnswers: false }) } }, t('editAgain')),
      hint,
    ),
  );
  (document.getElementById('state-title') as HTMLElement | null)?.focus();
}
