/** リッチメニュー: the pages of the richMenus function (app.tsx hands every path under /richmenus here). */
import { Alert, Link, PageHeader } from '../../components/ui';
import { BASE } from './common';
import { MenuEditor } from './menu-editor';
import { MenuList } from './menu-list';

const MENU_ID = /^\/richmenus\/([0-9A-Z]{26})\/?$/;

export function RichMenuPages({ path }: { path: string }) {
  if (path === BASE || path === `${BASE}/`) return <MenuList />;
  if (path === `${BASE}/new` || path === `${BASE}/new/`) return <MenuEditor key="new" menuId={null} />;
  const m = MENU_ID.exec(path);
  if (m) return <MenuEditor key={m[1]} menuId={m[1]!} />;
  return (
    <>
      <PageHeader title="リッチメニュー" />
      <Alert>このページは見つかりません。</Alert>
      <Link to={BASE}>メニュー一覧へ戻る</Link>
    </>
  );
}
