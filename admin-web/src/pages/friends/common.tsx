/** Pieces shared by the pages of 友だち: the icon, the status in words, language and attribute texts. */
import { useEffect, useState } from 'react';
import { ATTRIBUTES, ATTRIBUTE_LABELS, friendFields, LANGUAGE_LABELS, type FriendFieldsView, type FriendRow } from '../../api/friends';

export const BASE = '/friends';

export const friendPath = (userId: string) => `${BASE}/${encodeURIComponent(userId)}`;

/** The name as LINE gave it; 「（名前なし）」 for someone known only from a block. */
export function nameOf(friend: Pick<FriendRow, 'displayName'>): string {
  return friend.displayName.trim() || '（名前なし）';
}

/**
 * The friend's LINE icon, or the first letter of the name in a circle (no picture, or the picture
 * could not be shown). Decorative: the name is always next to it.
 */
export function Avatar(props: { friend: Pick<FriendRow, 'displayName' | 'pictureUrl'>; size?: 'small' | 'large' }) {
  const [failed, setFailed] = useState(false);
  const cls = `avatar avatar-${props.size ?? 'small'}`;
  if (props.friend.pictureUrl && !failed) {
    return <img className={cls} src={props.friend.pictureUrl} alt="" referrerPolicy="no-referrer" loading="lazy" onError={() => setFailed(true)} />;
  }
  const initial = [...props.friend.displayName.trim()][0] ?? '?';
  return (
    <span className={`${cls} avatar-initial`} aria-hidden="true">
      {initial}
    </span>
  );
}

export const STATUS_LABELS: Record<FriendRow['status'], string> = { active: '友だち', blocked: 'ブロック中' };

export function StatusBadge(props: { status: FriendRow['status'] }) {
  return <span className={`badge friend-status-${props.status}`}>{STATUS_LABELS[props.status]}</span>;
}

/** 「日本語」, the LINE app's own code for a language the city does not serve (「th」), or 「—」. */
export function languageText(language: string | undefined): string {
  if (!language) return '—';
  return (LANGUAGE_LABELS as Record<string, string>)[language] ?? language;
}

/**
 * The friend's attributes as 「居住地区: arao」 lines. The values are the profile form's choice IDs:
 * their labels are only on routes of アンケート, which a member of staff with 友だち alone cannot call.
 */
let fieldsOnce: Promise<FriendFieldsView | undefined> | undefined;

/** The profile form's attribute labels, read once per page load (undefined until they arrive, or when they cannot be read). */
export function useFriendFields(): FriendFieldsView | undefined {
  const [fields, setFields] = useState<FriendFieldsView>();
  useEffect(() => {
    let live = true;
    fieldsOnce ??= friendFields().catch(() => {
      fieldsOnce = undefined;
      return undefined;
    });
    void fieldsOnce.then((f) => live && f && setFields(f));
    return () => {
      live = false;
    };
  }, []);
  return fields;
}

/** The attributes in words: the profile form's labels when known (GET /friends/fields), else the names and choice IDs. */
export function attributeLines(attributes: FriendRow['attributes'], fields?: FriendFieldsView): { name: string; label: string; value: string }[] {
  if (!attributes) return [];
  const defs = (fields?.attributes ?? {}) as Record<string, { label: string; choices: { choiceId: string; label: string }[] } | undefined>;
  const choice = (name: string, id: string) => defs[name]?.choices.find((c) => c.choiceId === id)?.label ?? id;
  const known = ATTRIBUTES.filter((a) => attributes[a] !== undefined);
  const others = Object.keys(attributes).filter((a) => !(ATTRIBUTES as readonly string[]).includes(a));
  return [...known, ...others].flatMap((name) => {
    const value = (attributes as Record<string, string | string[] | undefined>)[name];
    const text = Array.isArray(value) ? value.map((v) => choice(name, v)).join('、') : value ? choice(name, value) : '';
    return text ? [{ name, label: defs[name]?.label ?? ATTRIBUTE_LABELS[name] ?? name, value: text }] : [];
  });
}
