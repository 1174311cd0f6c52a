import { EmptyState, PageHeader } from '../components/ui';

/** Placeholder until the staff manual (docs/manual/) is published at /manual/. */
export function ManualPage() {
  return (
    <>
      <PageHeader title="操作マニュアル" />
      <EmptyState title="操作マニュアルは準備中です">
        <p>画面の写真つきで、サインインの仕方から各機能の使い方までを説明するマニュアルをここに掲載します。</p>
        <p className="muted">それまでの間、操作で分からないことは管理者にお問い合わせください。</p>
      </EmptyState>
    </>
  );
}
