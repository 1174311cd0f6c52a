/** Pieces shared by the pages of リッチメニュー: addresses, a menu's state in words, the publish questions, sizes and templates. */
import type { ReactNode } from 'react';
import { RICH_MENU_SIZES, type AreaAction, type RichMenuArea, type RichMenuSize, type RichMenuView } from '../../api/richmenus';
import type { ConfirmOptions } from '../../components/dialog';
import { number } from '../../format';

export const BASE = '/richmenus';
export const menuPath = (menuId: string) => `${BASE}/${encodeURIComponent(menuId)}`;

export const SIZE_LABELS: Record<RichMenuSize, string> = { large: '大', compact: '小' };

/** 「大（2500×1686）」 */
export function sizeText(size: RichMenuSize): string {
  const { width, height } = RICH_MENU_SIZES[size];
  return `${SIZE_LABELS[size]}（${width}×${height}）`;
}

export const ACTION_LABELS: Record<AreaAction['type'], string> = {
  link: 'リンク',
  keyword: 'キーワードを送る',
  form: 'フォームを開く',
  scenario: 'シナリオを始める',
  chat: '職員とのチャット',
  postback: 'ポストバック',
};

/** What a tap does, in a few words (the list beside the image). */
export function actionText(action: AreaAction): string {
  switch (action.type) {
    case 'link':
      return action.url ? `リンク ${action.url}` : 'リンク（アドレス未入力）';
    case 'keyword':
      return action.text ? `「${action.text}」を送る` : 'キーワード（未入力）';
    case 'form':
      return action.formId ? `フォーム ${action.formId}` : 'フォーム（未選択）';
    case 'scenario':
      return action.scenarioId ? 'シナリオを始める' : 'シナリオ（未選択）';
    case 'chat':
      return '職員との1:1チャットを始める';
    case 'postback':
      return action.data ? `ポストバック ${action.data}` : 'ポストバック（未入力）';
  }
}

/** 公開中, LINEに登録済み (a segment or disaster menu) or 下書き, and 変更あり, as badges. */
export function MenuState(props: { menu: Pick<RichMenuView, 'isDefault' | 'changedSincePublish' | 'lineRichMenuId'> }) {
  const { menu } = props;
  const onLine = menu.isDefault || menu.lineRichMenuId !== undefined;
  return (
    <span className="rm-state">
      {menu.isDefault ? (
        <span className="badge rm-state-live">公開中</span>
      ) : menu.lineRichMenuId ? (
        <span className="badge rm-state-linked">友だちごと・災害用</span>
      ) : (
        <span className="badge rm-state-draft">下書き</span>
      )}
      {onLine && menu.changedSincePublish && <span className="badge rm-state-changed">{menu.isDefault ? '公開後に変更あり' : 'LINEに未反映の変更あり'}</span>}
    </span>
  );
}

/** The question before 公開する: what every friend will see, and which menu stops. */
export function publishQuestion(menu: Pick<RichMenuView, 'name' | 'isDefault'>, live: Pick<RichMenuView, 'name'> | null): ConfirmOptions {
  const body: ReactNode = (
    <>
      <p>
        <strong>友だち全員のLINEのメニューが「{menu.name}」に替わります。</strong>
      </p>
      {live && !menu.isDefault && <p>いま公開中のメニュー「{live.name}」は、公開をやめます（削除はしません）。</p>}
      {menu.isDefault && <p>公開中のメニューを、いまの内容で出し直します。保存した変更が友だちに届きます。</p>}
      <p className="hint">友だちのLINEに替わるまで、数秒から数分かかることがあります。</p>
    </>
  );
  return { title: 'メニューを公開する', body, confirm: '公開する' };
}

export function unpublishQuestion(menu: Pick<RichMenuView, 'name'>): ConfirmOptions {
  return {
    title: 'メニューの公開をやめる',
    body: (
      <>
        <p>
          <strong>友だち全員のLINEから、メニュー「{menu.name}」が消えます。</strong>
        </p>
        <p>ほかのメニューを公開するまで、友だちのLINEにはメニューが出ません。メニューの内容は残り、あとでまた公開できます。</p>
      </>
    ),
    confirm: '公開をやめる',
    danger: true,
  };
}

type Box = RichMenuArea['bounds'];

/** Splits `total` pixels into `n` whole parts (the remainder spread from the left). */
function split(total: number, n: number): { start: number; length: number }[] {
  const base = Math.floor(total / n);
  let extra = total - base * n;
  let start = 0;
  return Array.from({ length: n }, () => {
    const length = base + (extra-- > 0 ? 1 : 0);
    const part = { start, length };
    start += length;
    return part;
  });
}

function grid(size: RichMenuSize, rows: number, cols: number): Box[] {
  const { width, height } = RICH_MENU_SIZES[size];
  return split(height, rows).flatMap((r) => split(width, cols).map((c) => ({ x: c.start, y: r.start, width: c.length, height: r.length })));
}

export interface Template {
  id: string;
  label: string;
  size: RichMenuSize;
  boxes: () => Box[];
}

/** Common layouts: one click makes their areas. */
export const TEMPLATES: Template[] = [
  { id: 'c3', label: '3列', size: 'compact', boxes: () => grid('compact', 1, 3) },
  { id: 'c2', label: '2列', size: 'compact', boxes: () => grid('compact', 1, 2) },
  { id: 'l23', label: '2段×3列', size: 'large', boxes: () => grid('large', 2, 3) },
  { id: 'l22', label: '2段×2列', size: 'large', boxes: () => grid('large', 2, 2) },
  {
    id: 'l13',
    label: '上に大きく1つ・下に3列',
    size: 'large',
    boxes: () => {
      const { width, height } = RICH_MENU_SIZES.large;
      const [top, bottom] = split(height, 2);
      return [
        { x: 0, y: 0, width, height: top!.length },
        ...split(width, 3).map((c) => ({ x: c.start, y: bottom!.start, width: c.length, height: bottom!.length })),
      ];
    },
  },
];

/** 「1,250×843」 */
export const boxText = (b: Box) => `${number.format(b.width)}×${number.format(b.height)}`;
