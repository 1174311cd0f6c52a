/** リッチメニュー › 一覧: every menu with its size, areas and state; 公開する / 公開をやめる with the console's question. */
import { useCallback, useEffect, useState } from 'react';
import { messageOf } from '../../api/client';
import { listMenus, publishMenu, refreshMenu, unpublishMenu, type RichMenuView } from '../../api/richmenus';
import { useConfirm } from '../../components/dialog';
import { Alert, EmptyState, Link, Loading, PageHeader } from '../../components/ui';
import { formatDateTime, number } from '../../format';
import { BASE, MenuState, SIZE_LABELS, menuPath, publishQuestion, unpublishQuestion } from './common';
import { MenuLinks } from './menu-links';

/** A message carried to the list from another page (a deleted menu), shown once. */
let flash: string | null = null;
export function flashOnList(text: string): void {
  flash = text;
}

export function MenuList() {
  const [menus, setMenus] = useState<RichMenuView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(() => {
    const f = flash;
    flash = null;
    return f;
  });
  const [busy, setBusy] = useState(false);
  const [dialog, ask] = useConfirm();

  const load = useCallback(async () => {
    try {
      setMenus((await listMenus()).items);
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const live = menus?.find((m) => m.isDefault) ?? null;

  const publish = async (menu: RichMenuView) => {
    if (!(await ask(publishQuestion(menu, live)))) return;
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await publishMenu(menu.menuId, menu.version);
      setNotice(`「${menu.name}」を公開しました。友だち全員のLINEのメニューが、これに替わります。`);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
      void load();
    }
  };

  const unpublish = async (menu: RichMenuView) => {
    if (!(await ask(unpublishQuestion(menu)))) return;
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await unpublishMenu(menu.menuId, menu.version);
      setNotice(`「${menu.name}」の公開をやめました。友だちのLINEにはメニューが出ません。`);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
      void load();
    }
  };

  const refresh = async (menu: RichMenuView) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await refreshMenu(menu.menuId, menu.version);
      setNotice(`「${menu.name}」の変更をLINEに反映しました。このメニューの友だちのLINEが、順に新しい内容に替わります。`);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
      void load();
    }
  };

  return (
    <>
      <PageHeader title="リッチメニュー">
        <Link to={`${BASE}/new`} className="button primary">
          ＋ 新しいメニュー
        </Link>
      </PageHeader>
      <p className="muted page-lead">
        友だちの LINE
        のトーク画面の下に出る、画像のメニューです。画像の上に「タップ領域」を決めておくと、押したときにホームページを開いたり、キーワードを送って自動の返信を出したりできます。公開するメニュー（既定のメニュー）は1つです。下の「友だちごとのメニュー」で、セグメントごとに別のメニューを出すこともできます。災害時は「災害モード」で全員を災害メニューに切り替えます。
      </p>
      {notice && <Alert kind="success">{notice}</Alert>}
      {error && <Alert>{error}</Alert>}
      <section className="card" aria-labelledby="rm-list-h">
        <h2 id="rm-list-h">メニュー一覧</h2>
        {menus === null && !error && <Loading />}
        {menus && menus.length === 0 && (
          <EmptyState title="メニューはまだありません">
            <p>「＋ 新しいメニュー」で作ってください。画像（横2500ピクセル）を用意しておくと、すぐに作れます。</p>
          </EmptyState>
        )}
        {menus && menus.length > 0 && (
          <div className="table-scroll">
            <table className="table rm-table" aria-label="メニュー一覧">
              <thead>
                <tr>
                  <th scope="col">メニュー名</th>
                  <th scope="col">大きさ</th>
                  <th scope="col" className="num">
                    タップ領域の数
                  </th>
                  <th scope="col">状態</th>
                  <th scope="col">更新</th>
                  <th scope="col">
                    <span className="visually-hidden">操作</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {menus.map((m) => (
                  <tr key={m.menuId}>
                    <td className="rm-name">
                      <Link to={menuPath(m.menuId)}>{m.name}</Link>
                      <span className="hint">メニューバー「{m.chatBarText}」</span>
                    </td>
                    <td className="nowrap">
                      {SIZE_LABELS[m.size]}
                      {!m.image && <span className="hint rm-no-image">画像なし</span>}
                    </td>
                    <td className="num">{number.format(m.areas.length)}</td>
                    <td>
                      <MenuState menu={m} />
                      {m.isDefault && m.publishedAt && <span className="hint rm-published">{formatDateTime(m.publishedAt)} 公開</span>}
                    </td>
                    <td>
                      <span className="nowrap">{formatDateTime(m.updatedAt)}</span>
                      <span className="hint">{m.updatedBy}</span>
                    </td>
                    <td className="rm-actions">
                      {!m.isDefault && m.lineRichMenuId && m.changedSincePublish && (
                        <button
                          type="button"
                          className="button small"
                          disabled={busy}
                          aria-label={`「${m.name}」の変更をLINEに反映する`}
                          onClick={() => void refresh(m)}
                        >
                          変更をLINEに反映
                        </button>
                      )}
                      {(!m.isDefault || m.changedSincePublish) && (
                        <button
                          type="button"
                          className="button small primary"
                          disabled={busy}
                          aria-label={`「${m.name}」を公開する`}
                          onClick={() => void publish(m)}
                        >
                          {m.isDefault ? '変更を公開する' : '公開する'}
                        </button>
                      )}
                      {m.isDefault && (
                        <button
                          type="button"
                          className="button small"
                          disabled={busy}
                          aria-label={`「${m.name}」の公開をやめる`}
                          onClick={() => void unpublish(m)}
                        >
                          公開をやめる
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {menus && <MenuLinks menus={menus} onChanged={() => void load()} />}
      {dialog}
    </>
  );
}
