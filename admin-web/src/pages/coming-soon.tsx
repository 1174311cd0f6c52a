import { EmptyState, PageHeader } from '../components/ui';

/** Capabilities built in later issues: say plainly what will appear here. */
export function ComingSoon(props: { title: string; description: string }) {
  return (
    <>
      <PageHeader title={props.title} />
      <EmptyState title="この機能は準備中です">
        <p>{props.description}</p>
        <p className="muted">使えるようになりましたら、お知らせします。</p>
      </EmptyState>
    </>
  );
}
