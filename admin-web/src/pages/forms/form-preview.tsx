import { useId } from 'react';
import { LANGUAGE_LABELS, type Lang } from '../../../../functions/shared/languages';
import { resolve, type Form, type Item } from '../../api/forms';

/** The fixed words of the citizen page, per language (what liff-web shows around the staff's text). */
const UI: Record<
  Lang,
  {
    required: string;
    submit: string;
    consent: string;
    choose: string;
    attach: string;
    photo: string;
    video: string;
    closed: string;
    chars: (min?: number, max?: number) => string;
  }
> = {
  ja: {
    required: '必須',
    submit: '送信する',
    consent: '上記に同意します',
    choose: '選択してください',
    attach: 'ファイルを選ぶ',
    photo: '写真を選ぶ',
    video: '動画を選ぶ',
    closed: '受付期間外です',
    chars: (a, b) => (a && b ? `${a}〜${b}文字` : a ? `${a}文字以上` : b ? `${b}文字以内` : ''),
  },
  en: {
    required: 'Required',
    submit: 'Submit',
    consent: 'I agree to the above',
    choose: 'Please select',
    attach: 'Choose a file',
    photo: 'Choose a photo',
    video: 'Choose a video',
    closed: 'Not accepting answers',
    chars: (a, b) => (a && b ? `${a}–${b} characters` : a ? `At least ${a} characters` : b ? `Up to ${b} characters` : ''),
  },
  ko: {
    required: '필수',
    submit: '보내기',
    consent: '위 내용에 동의합니다',
    choose: '선택하세요',
    attach: '파일 선택',
    photo: '사진 선택',
    video: '동영상 선택',
    closed: '접수 기간이 아닙니다',
    chars: (a, b) => (a && b ? `${a}~${b}자` : a ? `${a}자 이상` : b ? `${b}자 이내` : ''),
  },
  'zh-Hans': {
    required: '必填',
    submit: '提交',
    consent: '我同意以上内容',
    choose: '请选择',
    attach: '选择文件',
    photo: '选择照片',
    video: '选择视频',
    closed: '不在受理期间',
    chars: (a, b) => (a && b ? `${a}～${b}个字` : a ? `至少${a}个字` : b ? `${b}个字以内` : ''),
  },
  'zh-Hant': {
    required: '必填',
    submit: '送出',
    consent: '我同意以上內容',
    choose: '請選擇',
    attach: '選擇檔案',
    photo: '選擇照片',
    video: '選擇影片',
    closed: '不在受理期間',
    chars: (a, b) => (a && b ? `${a}～${b}個字` : a ? `至少${a}個字` : b ? `${b}個字以內` : ''),
  },
};

/** What the preview shows of a form (the editor's draft or the saved form). */
export type PreviewForm = Pick<Form, 'title' | 'description' | 'consent' | 'items'>;

/**
 * The form read-only, as a citizen with this language sees it in LINE: retired items and choices
 * hidden, untranslated text in Japanese. Staff text is rendered as text (never as HTML).
 */
export function FormPreview(props: { form: PreviewForm; lang: Lang }) {
  const { form, lang } = props;
  const ui = UI[lang];
  const items = form.items.filter((i) => !i.retired);
  return (
    <div className="phone" lang={lang === 'ja' ? 'ja' : lang} aria-label={`プレビュー（${LANGUAGE_LABELS[lang]}）`} role="region">
      <div className="phone-bar" aria-hidden="true">
        <span>‹</span>
        <span className="phone-bar-title">{resolve(form.title, lang)}</span>
        <span>×</span>
      </div>
      <div className="phone-screen">
        <h2 className="pv-title">{resolve(form.title, lang)}</h2>
        {form.description && resolve(form.description, lang) && <p className="pv-desc">{resolve(form.description, lang)}</p>}
        {items.map((item) => (
          <PreviewItem key={item.itemId} item={item} lang={lang} />
        ))}
        {form.consent && (
          <div className="pv-item pv-consent">
            {form.consent.text && resolve(form.consent.text, lang) && <p className="pv-desc">{resolve(form.consent.text, lang)}</p>}
            {form.consent.links.length > 0 && (
              <ul className="pv-links">
                {form.consent.links.map((l, i) => (
                  <li key={i}>
                    <span className="pv-link">{resolve(l.label, lang) || l.url}</span>
                  </li>
                ))}
              </ul>
            )}
            <label className="pv-choice">
              <input type="checkbox" disabled /> {ui.consent} <span className="pv-req">{ui.required}</span>
            </label>
          </div>
        )}
        <button type="button" className="pv-submit" disabled>
          {ui.submit}
        </button>
      </div>
    </div>
  );
}

function PreviewItem(props: { item: Item; lang: Lang }) {
  const { item, lang } = props;
  const ui = UI[lang];
  const id = useId();
  const choices = (item.choices ?? []).filter((c) => !c.retired);
  const help = resolve(item.help, lang);
  const limits = item.type === 'text' ? ui.chars(item.text?.minLength, item.text?.maxLength) : '';
  return (
    <fieldset className="pv-item">
      <legend className="pv-label">
        {resolve(item.label, lang) || '（質問文なし）'}
        {item.required && <span className="pv-req">{ui.required}</span>}
      </legend>
      {help && <p className="pv-help">{help}</p>}
      {(item.type === 'single' || item.type === 'multiple') &&
        choices.map((c) => (
          <label key={c.choiceId} className="pv-choice">
            <input type={item.type === 'single' ? 'radio' : 'checkbox'} name={id} disabled /> {resolve(c.label, lang)}
          </label>
        ))}
      {item.type === 'dropdown' && (
        <select disabled aria-label={resolve(item.label, lang)} className="pv-input">
          <option>{ui.choose}</option>
          {choices.map((c) => (
            <option key={c.choiceId}>{resolve(c.label, lang)}</option>
          ))}
        </select>
      )}
      {item.type === 'text' &&
        (item.text?.multiline ? (
          <textarea disabled rows={3} className="pv-input" aria-label={resolve(item.label, lang)} />
        ) : (
          <input disabled className="pv-input" aria-label={resolve(item.label, lang)} />
        ))}
      {item.type === 'text' && (limits || item.text?.patternHint) && (
        <p className="pv-help">{[limits, resolve(item.text?.patternHint, lang)].filter(Boolean).join(' / ')}</p>
      )}
      {item.type === 'date' && <input type="date" disabled className="pv-input" aria-label={resolve(item.label, lang)} />}
      {(item.type === 'image' || item.type === 'video') && (
        <button type="button" className="pv-upload" disabled>
          {item.type === 'image' ? ui.photo : ui.video}
        </button>
      )}
    </fieldset>
  );
}
