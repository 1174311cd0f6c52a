/** zod schemas of the rich menu staff API (docs/richmenus-api.md); messages in Japanese for staff. */
import * as z from 'zod';
import { linkUrl, segmentIdParam, ULID_PATTERN } from '../deliveries/schemas';
import { withinGraphemes } from '../shared/text';
import { RICH_MENU_LIMITS as L, RICH_MENU_SIZES, SEGMENT_MENUS_MAX, DISASTER_ALERT_KINDS, type RichMenuSize } from './model';

export const menuIdParam = z.string().regex(ULID_PATTERN, 'メニューのIDに誤りがあります。');

const int = (what: string) => z.int(`${what}は整数で指定してください。`).min(0, `${what}は0以上にしてください。`);

const action = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('link'), url: linkUrl }),
    z.object({
      type: z.literal('keyword'),
      text: z.string().trim().min(1, '送る言葉を入力してください。').max(L.keywordChars, `送る言葉は${L.keywordChars}文字以内にしてください。`),
    }),
    z.object({ type: z.literal('form'), formId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'フォームを選び直してください。') }),
    z.object({ type: z.literal('chat') }),
    z.object({ type: z.literal('scenario'), scenarioId: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, '始めるシナリオを選び直してください。') }),
    z.object({
      type: z.literal('postback'),
      data: z.string().min(1, 'データを入力してください。').max(L.postbackChars, `データは${L.postbackChars}文字以内にしてください。`),
      displayText: z.string().trim().max(L.keywordChars).optional(),
    }),
  ],
  { error: 'タップしたときの動き（リンク・キーワード・フォーム・シナリオ・ポストバック）を選んでください。' },
);

const area = z.object({
  bounds: z.object({
    x: int('左端'),
    y: int('上端'),
    width: int('幅').min(1, '幅は1以上にしてください。'),
    height: int('高さ').min(1, '高さは1以上にしてください。'),
  }),
  label: z
    .string({ error: '領域の名前を入力してください。' })
    .trim()
    .min(1, '領域の名前を入力してください。')
    .max(100)
    .refine((l) => withinGraphemes(l, L.labelChars), `領域の名前は${L.labelChars}文字以内にしてください。`),
  action,
});

export const menuInput = z
  .object({
    name: z
      .string({ error: 'メニュー名を入力してください。' })
      .trim()
      .min(1, 'メニュー名を入力してください。')
      .max(L.nameChars, `メニュー名は${L.nameChars}文字以内にしてください。`),
    chatBarText: z
      .string({ error: 'メニューバーの文字を入力してください。' })
      .trim()
      .min(1, 'メニューバーの文字を入力してください。')
      .max(100)
      .refine((t) => withinGraphemes(t, L.chatBarChars), `メニューバーの文字は${L.chatBarChars}文字以内にしてください（LINEの上限）。`),
    size: z.enum(Object.keys(RICH_MENU_SIZES) as [RichMenuSize, ...RichMenuSize[]], { error: '大きさ（大・小）を選んでください。' }),
    selected: z.boolean().default(true),
    areas: z.array(area).max(L.areas, `タップ領域は${L.areas}個までです（LINEの上限）。`),
  })
  .superRefine((menu, ctx) => {
    const { width, height } = RICH_MENU_SIZES[menu.size];
    menu.areas.forEach((a, i) => {
      const b = a.bounds;
      if (b.x + b.width > width || b.y + b.height > height) {
        ctx.addIssue({ code: 'custom', path: ['areas', i, 'bounds'], message: `領域${i + 1}（${a.label}）が画像（${width}×${height}）からはみ出しています。` });
      }
    });
  });
export type MenuInput = z.output<typeof menuInput>;

export const createMenuBody = menuInput;
export const updateMenuBody = z.object({ version: z.int().min(1) }).and(menuInput);
export const versionBody = z.object({ version: z.int().min(1, 'version を指定してください。') });

/** PUT /richmenu-links: menus per segment in order, and the disaster menu. */
export const menuLinksBody = z.object({
  version: z.int().min(0, 'version を指定してください。'),
  segmentMenus: z
    .array(z.object({ segmentId: segmentIdParam, menuId: menuIdParam }))
    .max(SEGMENT_MENUS_MAX, `友だちごとのメニューは${SEGMENT_MENUS_MAX}件までです。`),
  disaster: z.object({
    menuId: menuIdParam.optional(),
    onKinds: z.array(z.enum(DISASTER_ALERT_KINDS, { error: '切り替える警報の種類に誤りがあります。' })).max(DISASTER_ALERT_KINDS.length),
    offWhenLifted: z.boolean(),
  }),
});

/** POST /richmenu-links/disaster: staff's one click. */
export const disasterSwitchBody = z.object({ on: z.boolean({ error: '開始か終了かを指定してください。' }), version: z.int().min(0) });
