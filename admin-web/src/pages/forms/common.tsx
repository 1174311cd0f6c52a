import { useState } from 'react';
import { jstInstant, jstWallString } from '../../../../functions/shared/japan-time';
import { DEFAULT_MEDIA } from '../../../../functions/forms/vocabulary';
import type { Attribute, Charset, FormKind, FormStatus, ItemType } from '../../api/forms';

export const KIND_LABEL: Record<FormKind, string> = { profile: 'プロフィール', survey: 'アンケート' };
export const STATUS_LABEL: Record<FormStatus, string> = { published: '公開中', unpublished: '非公開', draft: '下書き' };
export const TYPE_LABEL: Record<ItemType, string> = {
  single: '単一選択',
  multiple: '複数選択',
  dropdown: 'プルダウン',
  text: '自由記述',
  date: '日付',
  image: '画像',
  video: '動画',
};
export const TYPE_HINT: Record<ItemType, string> = {
  single: '選択肢から1つだけ選んでもらいます（ボタン形式）。',
  multiple: '選択肢から当てはまるものをいくつでも選んでもらいます。',
  dropdown: '選択肢から1つだけ選んでもらいます（一覧から選ぶ形式。選択肢が多いとき向け）。',
  text: '文字で自由に書いてもらいます。',
  date: '日付を選んでもらいます。',
  image: '写真や画像を1枚送ってもらいます。',
  video: '動画を1本送ってもらいます。',
};
export const ATTRIBUTE_LABEL: Record<Attribute, string> = { district: '居住地区', ageBand: '年代', gender: '性別', categories: '受信したい情報のカテゴリ' };
export const CHARSET_LABEL: Record<Charset, string> = { any: '指定なし', alphanumeric: '英数字のみ', numeric: '数字のみ' };

/** The file types photo and video items may accept (the server's defaults are all of them). */
export const IMAGE_TYPES: readonly string[] = DEFAULT_MEDIA.image.types;
export const VIDEO_TYPES: readonly string[] = DEFAULT_MEDIA.video.types;
export const MEDIA_TYPE_LABEL: Record<string, string> = {
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
  'image/webp': 'WebP',
  'image/gif': 'GIF',
  'video/mp4': 'MP4',
  'video/quicktime': 'MOV（iPhone）',
};
/** The largest size staff may allow per item type, in MB (the server's defaults). */
export const MEDIA_MAX_MB: Record<'image' | 'video', number> = {
  image: DEFAULT_MEDIA.image.maxBytes / 1024 / 1024,
  video: DEFAULT_MEDIA.video.maxBytes / 1024 / 1024,
};

export function StatusBadge(props: { status: FormStatus }) {
  return <span className={`badge form-status-${props.status}`}>{STATUS_LABEL[props.status]}</span>;
}

export function KindBadge(props: { kind: FormKind }) {
  return <span className={`badge form-kind-${props.kind}`}>{KIND_LABEL[props.kind]}</span>;
}

/** ISO → the value of <input type="datetime-local"> in Japan time. */
export function toLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return jstWallString(d);
}

/** <input type="datetime-local"> (Japan time) → ISO, or undefined when empty. */
export function fromLocalInput(value: string): string | undefined {
  const [date, time] = value.split('T');
  return (date && time && jstInstant(date, time)?.toISOString()) || undefined;
}

/**
 * The address citizens open: the LIFF URL (LINE opens it signed in; locally the simulator's phone
 * does the same). Without a LIFF ID from the server, the page's own path on this platform.
 */
export function liffLink(formId: string, liffId?: string): { url: string; isLiff: boolean } {
  if (liffId) return { url: `https://liff.line.me/${liffId}/forms/${formId}`, isLiff: true };
  return { url: `${location.origin}/liff/forms/${formId}`, isLiff: false };
}

/** The form's address with a copy button (clipboard API, or select + copy on older browsers). */
export function LiffLink(props: { formId: string; liffId?: string; compact?: boolean }) {
  const { url, isLiff } = liffLink(props.formId, props.liffId);
  const [copied, setCopied] = useState<'ok' | 'failed' | null>(null);
  const copy = async (input: HTMLInputElement | null) => {
    try {
      if (navigator.clipboard?.writeText) await navigator.clipboard.writeText(url);
      else {
        input?.select();
        if (!document.execCommand('copy')) throw new Error('copy');
      }
      setCopied('ok');
    } catch {
      input?.select();
      setCopied('failed');
    }
  };
  let inputRef: HTMLInputElement | null = null;
  return (
    <div className={props.compact ? 'liff-link compact' : 'liff-link'}>
      <div className="liff-link-row">
        <input
          ref={(el) => {
            inputRef = el;
          }}
          readOnly
          value={url}
          aria-label="回答ページのアドレス"
          className="mono"
          onFocus={(e) => e.currentTarget.select()}
        />
        <button type="button" className="button" onClick={() => copy(inputRef)}>
          コピー
        </button>
      </div>
      <span role="status" className="hint">
        {copied === 'ok' && 'コピーしました。'}
        {copied === 'failed' && 'コピーできませんでした。選択された文字を Ctrl+C でコピーしてください。'}
      </span>
      {!isLiff && !props.compact && (
        <p className="hint">
          LIFF アプリがまだ登録されていないため、このサーバーの回答ページのアドレスを表示しています。このアドレスは LINE
          の中ではサインインした状態で開けません。LINE Developers で LIFF アプリを登録し、その LIFF ID を設定すると（README「Deploying」の手順5）、LINE
          アプリで開くアドレス（https://liff.line.me/…）に替わります。
        </p>
      )}
    </div>
  );
}
